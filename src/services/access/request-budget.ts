import { errors } from '../../domain/errors.js';
import type { Context, MerchantPrincipal } from '../context.js';

/**
 * Spends one of the merchant's CAMARA requests of this second, reads and writes from budgets of
 * their own (the merchant's, else the configured default): CAMARA's 429 TOO_MANY_REQUESTS with
 * Retry-After beyond, before any work. The slot is taken atomically, so concurrent requests
 * cannot pass the budget together.
 */
export async function spendRequestBudget(
  ctx: Context,
  merchant: MerchantPrincipal,
  kind: 'read' | 'write',
): Promise<void> {
  const { limits } = ctx.config;
  const budget =
    kind === 'read'
      ? (merchant.limits.readsPerSecond ?? limits.readRequestsPerMerchantPerSecond)
      : (merchant.limits.writesPerSecond ?? limits.writeRequestsPerMerchantPerSecond);
  if (!(await ctx.cache.take(`requests:${kind}:${merchant.id}`, 1, budget)))
    throw errors.tooManyRequests(`More than ${String(budget)} ${kind} requests a second; slow down.`, 1);
}
