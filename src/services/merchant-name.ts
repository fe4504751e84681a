import { missing } from '../ports/store/missing-row.js';
import type { Context } from './context.js';

/**
 * The name a merchant is known by to phone users: it goes into the consent and gift-certificate
 * SMS, the evidence of what they agreed to, so a merchant that cannot be found is an error, never
 * an empty name.
 */
export async function merchantName(ctx: Context, merchantId: string): Promise<string> {
  return (await ctx.store.merchants.find(merchantId))?.name ?? missing('merchants', merchantId);
}
