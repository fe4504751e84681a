import type { Context, OperatorPrincipal } from '../context.js';
import { rotateMerchantSecret } from './merchant-lifecycle.js';
import { createMerchant } from './merchants.js';

const DEMO_SETUP: OperatorPrincipal = { id: 'setup:demo', name: 'demo setup', role: 'admin' };

/**
 * The demo's merchant, created on the first start; at every later start its secret is renewed
 * (the old one and its tokens end), since only a hash is kept and the walk-through needs the secret.
 */
export async function demoMerchant(ctx: Context, name: string): Promise<{ clientId: string; clientSecret: string }> {
  const existing = await ctx.store.merchants.findByName(name);
  if (!existing) return createMerchant(ctx, DEMO_SETUP, { name, oneStepPayments: true });
  const { clientSecret } = await rotateMerchantSecret(ctx, DEMO_SETUP, existing.id, {
    graceSeconds: 0,
    revokeTokens: true,
  });
  return { clientId: existing.client_id, clientSecret };
}
