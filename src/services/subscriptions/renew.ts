import { ApiError } from '../../domain/errors.js';
import { toDecimal } from '../../domain/money.js';
import { periodStart } from '../../domain/subscription-periods.js';
import type { MerchantRecord } from '../../ports/store/merchants.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { RenewalOutcome, SubscriptionRecord } from '../../ports/store/subscriptions.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { randomId } from '../keys.js';
import { limitsOf } from '../merchant-limits.js';
import { admitPayment } from '../payments/intake.js';
import { chargeAdmitted } from '../payments/one-step-charge.js';

const ACTOR = 'job:subscriptions';

/** What a subscription's merchant may do, for its charges: its limits, synchronous completion. */
function principalOf(m: MerchantRecord): MerchantPrincipal {
  return {
    id: m.id,
    name: m.name,
    scopes: m.scopes,
    oneStepPayments: m.one_step_payments,
    validationMode: m.validation_mode,
    completionMode: 'sync',
    category: m.category,
    dailyCapMinor: m.daily_cap_minor === null ? null : Number(m.daily_cap_minor),
    limits: limitsOf(m),
  };
}

/**
 * Charges one period of a subscription the caller holds the lease of, as an ordinary one-step
 * payment (limits, certificate, refunds, statements as any other), and records what the
 * subscription does next. The payment's reference names the subscription, the period and the
 * try: a renewal repeated after a crash finds that payment (and its outcome) instead of charging
 * again, so each period is charged at most once, whichever instance and however often it runs.
 * Answers undefined when the outcome is not known yet (the lease ends; a later run asks again).
 */
export async function chargePeriod(ctx: Context, s: SubscriptionRecord): Promise<SubscriptionRecord | undefined> {
  const now = ctx.clock.now();
  const period = s.next_period;
  const attempt = s.next_try;
  const record = (outcome: RenewalOutcome) =>
    ctx.store.subscriptions.recordRenewal(s.id, period, attempt, outcome, ctx.clock.now());
  if (s.cancel_at_period_end) return record({ kind: 'cancelled' });

  const merchant = await ctx.store.merchants.find(s.merchant_id);
  // A stopped merchant charges nothing: the period is declined (tried again later, then suspended).
  if (!merchant || merchant.disabled_at) return record(declined(ctx, attempt, now));
  const reference = `subscription-${s.id}-${period}-${attempt}`;
  const body = {
    amountTransaction: {
      phoneNumber: s.phone_number,
      clientCorrelator: reference,
      referenceCode: reference,
      paymentAmount: {
        chargingInformation: {
          amount: toDecimal(s.amount_minor, s.currency),
          currency: s.currency,
          description: s.description,
        },
      },
    },
  };
  const operationId = randomId('op_');
  let payment: PaymentRecord;
  try {
    const admission = await admitPayment(ctx, principalOf(merchant), body, 'one_step', {
      chargeOperationId: operationId,
      subscription: { id: s.id, period },
    });
    // The subscription lists its charges: a refused one stays visible, `denied`.
    payment = admission.fresh
      ? await chargeAdmitted(ctx, admission, operationId, { merchantName: merchant.name, actor: ACTOR, late: true })
      : admission.payment;
  } catch (error) {
    // A limit, a block or a refusal is the period's outcome; anything else (a carrier or the
    // database away) is tried again at the next run.
    // (409: the period's payment is still in flight elsewhere.)
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 409 || error.status === 429) {
      await ctx.store.subscriptions.release(s.id);
      if (!(error instanceof ApiError)) throw error;
      return undefined;
    }
    return record(declined(ctx, attempt, now));
  }
  // In manual review the money may well have moved: the period counts as charged, and the monthly
  // statement settles it (a refusal found then is the merchant's to collect, as for any payment).
  if (payment.status === 'succeeded' || payment.status === 'manual_review')
    return record({ kind: 'charged', nextChargeAt: nextPeriodStart(ctx, s, period) });
  if (payment.status === 'denied' || payment.status === 'rejected') return record(declined(ctx, attempt, now));
  // Still charging (the carrier has not said): recovery settles it; a later run reads the outcome.
  await ctx.store.subscriptions.release(s.id);
  return undefined;
}

/** A declined period is tried again after the configured delays, then the subscription is suspended. */
function declined(ctx: Context, attempt: number, now: Date): RenewalOutcome {
  const delay = ctx.config.subscriptions.retryDelaysHours[attempt];
  return delay === undefined
    ? { kind: 'suspended' }
    : { kind: 'retry', nextChargeAt: new Date(now.getTime() + delay * 3_600_000) };
}

function nextPeriodStart(ctx: Context, s: SubscriptionRecord, period: number): Date {
  const timeZone = ctx.carriers.get(s.carrier_id)?.config.timeZone ?? 'Asia/Seoul';
  return periodStart(s.anchor_at ?? s.created_at, s.period, period + 1, timeZone);
}
