import { formatForPeople, toMinorUnits } from '../../domain/money.js';
import { isBlocked, ownLimit } from '../../domain/sms-keywords.js';
import { replyTexts } from '../../domain/sms-texts.js';
import type { Context } from '../context.js';
import { forgetMerchant } from '../access/merchant-authentication.js';

/**
 * A phone user's own controls (CONTRACTS §7), by SMS reply or on the self-service page: block
 * carrier billing at once, lift the block only after a cooling-off period (someone holding the
 * phone for a moment cannot undo it), lower one's own monthly limit at once and raise it only
 * after the same period. Each answers in the words of the SMS that confirms it.
 */
export async function blockNumber(ctx: Context, phoneNumber: string): Promise<string> {
  await ctx.store.phoneControls.block(phoneNumber, ctx.clock.now());
  return replyTexts.blocked(ctx.config.phoneUsers.coolingOffHours);
}

export async function unblockNumber(ctx: Context, phoneNumber: string): Promise<string> {
  const now = ctx.clock.now();
  const at = coolingOffEnd(ctx, now);
  return (await ctx.store.phoneControls.unblockAt(phoneNumber, at, now))
    ? replyTexts.unblockAt(at)
    : replyTexts.notBlocked;
}

/** Sets the user's own monthly limit (in the gateway's first currency's major units), never above the carrier's. */
export async function setOwnLimit(ctx: Context, phoneNumber: string, amount: number, carrierLimitMinor: number) {
  const currency = ctx.config.currencies[0] ?? 'KRW';
  const wanted = toMinorUnits(amount, currency);
  const limit = wanted >= BigInt(carrierLimitMinor) ? null : wanted;
  const now = ctx.clock.now();
  const current = ownLimit(await ctx.store.phoneControls.find(phoneNumber), now) ?? BigInt(carrierLimitMinor);
  const shown = formatForPeople(limit ?? BigInt(carrierLimitMinor), currency);
  if ((limit ?? BigInt(carrierLimitMinor)) <= current) {
    await ctx.store.phoneControls.setLimit(phoneNumber, limit, now);
    return replyTexts.limitNow(shown);
  }
  const at = coolingOffEnd(ctx, now);
  await ctx.store.phoneControls.setLimit(phoneNumber, limit, now, at);
  return replyTexts.limitAt(shown, at);
}

/**
 * Ends every standing permission of a number: consents (no more charges without a code) and
 * three-legged grants (their tokens stop at once), of one merchant when named. The names of the
 * merchants that lost one, for the answer.
 */
export async function stopEverything(ctx: Context, phoneNumber: string, merchantName?: string): Promise<string[]> {
  const now = ctx.clock.now();
  const merchant = merchantName ? await ctx.store.merchants.findByName(merchantName) : undefined;
  if (merchantName && !merchant) return [];
  const [consents, grants] = await Promise.all([
    ctx.store.consents.revokeAllOfPhone(phoneNumber, 'phone-user', now, merchant?.id),
    ctx.store.grants.revokeAllOfPhone(phoneNumber, 'phone-user', now, merchant?.id),
  ]);
  const merchantIds = [...new Set([...consents, ...grants].map((r) => r.merchant_id))];
  for (const id of new Set(grants.map((g) => g.merchant_id))) await forgetMerchant(ctx, id);
  const names = await Promise.all(merchantIds.map(async (id) => (await ctx.store.merchants.find(id))?.name ?? id));
  return names;
}

/** Whether carrier billing is blocked on the number now. */
export async function numberBlocked(ctx: Context, phoneNumber: string): Promise<boolean> {
  return isBlocked(await ctx.store.phoneControls.find(phoneNumber), ctx.clock.now());
}

function coolingOffEnd(ctx: Context, now: Date): Date {
  return new Date(now.getTime() + ctx.config.phoneUsers.coolingOffHours * 3_600_000);
}
