import { formatForPeople, toMinorUnits } from '../../domain/money.js';
import { isBlocked, ownLimit } from '../../domain/phone-controls.js';
import { replyTexts } from '../../domain/sms-texts.js';
import { maskPhoneNumber } from '../../domain/phone.js';
import type { StoreTransaction } from '../../ports/store/store.js';
import type { Context } from '../context.js';
import { forgetMerchant } from '../access/merchant-authentication.js';
import { merchantName } from '../merchant-name.js';

/**
 * A phone user's own controls (CONTRACTS §7), by SMS reply or on the self-service page: block
 * carrier billing at once, lift the block only after a cooling-off period (someone holding the
 * phone for a moment cannot undo it), lower one's own monthly limit at once and raise it only
 * after the same period. Each answers in the words of the SMS that confirms it.
 */
export async function blockNumber(ctx: Context, phoneNumber: string): Promise<string> {
  await audited(ctx, phoneNumber, 'carrier_billing_blocked', {}, (tx) =>
    tx.phoneControls.block(phoneNumber, ctx.clock.now()),
  );
  return replyTexts.blocked(ctx.config.phoneUsers.coolingOffHours);
}

export async function unblockNumber(ctx: Context, phoneNumber: string): Promise<string> {
  const now = ctx.clock.now();
  const at = coolingOffEnd(ctx, now);
  const lifted = await ctx.store.transaction(async (tx) => {
    if (!(await tx.phoneControls.unblockAt(phoneNumber, at, now))) return false;
    await record(tx, phoneNumber, 'carrier_billing_unblock_requested', { effectiveAt: at.toISOString() });
    return true;
  });
  return lifted ? replyTexts.unblockAt(at) : replyTexts.notBlocked;
}

/** One change of a number's controls and its audit row (the phone user as actor), in one transaction. */
async function audited<T>(
  ctx: Context,
  phoneNumber: string,
  event: string,
  detail: Record<string, unknown>,
  change: (tx: StoreTransaction) => Promise<T>,
): Promise<T> {
  return ctx.store.transaction(async (tx) => {
    const result = await change(tx);
    await record(tx, phoneNumber, event, detail);
    return result;
  });
}

function record(tx: StoreTransaction, phoneNumber: string, event: string, detail: Record<string, unknown>) {
  return tx.audit.recordAction({
    actor: 'phone-user',
    event,
    ...(typeof detail.merchantId === 'string' ? { merchantId: detail.merchantId } : {}),
    detail: { phoneNumber: maskPhoneNumber(phoneNumber), ...detail },
  });
}

/** Sets the user's own monthly limit (in the gateway's first currency's major units), never above the carrier's. */
export async function setOwnLimit(ctx: Context, phoneNumber: string, amount: number, carrierLimitMinor: number) {
  const currency = ctx.config.currencies[0] ?? 'KRW';
  const wanted = amount === 0 ? 0n : toMinorUnits(amount, currency);
  const limit = wanted >= BigInt(carrierLimitMinor) ? null : wanted;
  const now = ctx.clock.now();
  const current = ownLimit(await ctx.store.phoneControls.find(phoneNumber), now) ?? BigInt(carrierLimitMinor);
  const shown = formatForPeople(limit ?? BigInt(carrierLimitMinor), currency);
  const ownLimitMinor = limit === null ? null : limit.toString();
  if ((limit ?? BigInt(carrierLimitMinor)) <= current) {
    await audited(ctx, phoneNumber, 'own_limit_lowered', { ownLimitMinor }, (tx) =>
      tx.phoneControls.setLimit(phoneNumber, limit, now),
    );
    return replyTexts.limitNow(shown);
  }
  const at = coolingOffEnd(ctx, now);
  await audited(ctx, phoneNumber, 'own_limit_raise_requested', { ownLimitMinor, effectiveAt: at.toISOString() }, (tx) =>
    tx.phoneControls.setLimit(phoneNumber, limit, now, at),
  );
  return replyTexts.limitAt(shown, at);
}

/**
 * Ends every standing permission of a number: consents and subscriptions (no more charges without
 * a code) and three-legged grants (their tokens stop at once), of one merchant when named. The
 * names of the merchants that lost one, for the answer.
 */
export async function stopEverything(ctx: Context, phoneNumber: string, typedName?: string): Promise<string[]> {
  const now = ctx.clock.now();
  const merchantIds = typedName ? await merchantsNamed(ctx, phoneNumber, typedName) : [undefined];
  // Merchant → whether it lost a grant (then every instance must forget its cached tokens).
  const stopped = new Map<string, boolean>();
  // All of it or nothing, each merchant's loss in the audit trail.
  await ctx.store.transaction(async (tx) => {
    for (const merchantId of merchantIds) {
      const consents = await tx.consents.revokeAllOfPhone(phoneNumber, 'phone-user', now, merchantId);
      const grants = await tx.grants.revokeAllOfPhone(phoneNumber, 'phone-user', now, merchantId);
      const subscriptions = await tx.subscriptions.cancelAllOfPhone(phoneNumber, 'phone-user', now, merchantId);
      for (const c of [...consents, ...subscriptions]) stopped.set(c.merchant_id, stopped.get(c.merchant_id) ?? false);
      for (const g of grants) stopped.set(g.merchant_id, true);
      for (const r of [...consents, ...grants, ...subscriptions]) {
        await record(tx, phoneNumber, 'stopped', { merchantId: r.merchant_id, of: r.id });
      }
    }
  });
  for (const [id, hadGrant] of stopped) if (hadGrant) await forgetMerchant(ctx, id);
  return Promise.all([...stopped.keys()].map((id) => merchantName(ctx, id)));
}

/**
 * The merchants holding something of the number whose name matches what the phone user typed,
 * in any case and spacing (names are not unique: every match is stopped).
 */
async function merchantsNamed(ctx: Context, phoneNumber: string, typed: string): Promise<string[]> {
  const fold = (name: string) => name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const [consents, grants, subscriptions] = await Promise.all([
    ctx.store.consents.list({ phoneNumber, limit: 200 }),
    ctx.store.grants.listGrants({ phoneNumber, limit: 200 }),
    ctx.store.subscriptions.list({ phoneNumber, limit: 200 }),
  ]);
  const ids = [...new Set([...consents, ...grants, ...subscriptions].map((r) => r.merchant_id))];
  const named = await Promise.all(ids.map(async (id) => ({ id, name: await merchantName(ctx, id) })));
  return named.filter((m) => fold(m.name) === fold(typed)).map((m) => m.id);
}

/** Whether carrier billing is blocked on the number now. */
export async function numberBlocked(ctx: Context, phoneNumber: string): Promise<boolean> {
  return isBlocked(await ctx.store.phoneControls.find(phoneNumber), ctx.clock.now());
}

function coolingOffEnd(ctx: Context, now: Date): Date {
  return new Date(now.getTime() + ctx.config.phoneUsers.coolingOffHours * 3_600_000);
}
