import { createHash, randomBytes } from 'node:crypto';
import { errors, type ApiError } from '../../domain/errors.js';
import { isBlocked, monthlyLimitOfNumber } from '../../domain/phone-controls.js';
import { consentBreach } from '../consents/breach.js';
import { categoryCapBreach } from './category-cap.js';
import { limitBreach } from '../../domain/spending-limits.js';
import type { ConsentRecord } from '../../ports/store/consents.js';
import type { StoreTransaction } from '../../ports/store/store.js';
import { toMinorUnits } from '../../domain/money.js';
import { requireRealPhoneNumber } from '../../domain/phone.js';
import type { NewPayment, PaymentRecord, PaymentRiskDecision } from '../../ports/store/payments.js';
import type { RiskAssessment, RiskReason } from '../../domain/risk.js';
import { screeningFor } from '../risk/screen.js';
import type { CarrierConfig } from '../../../config/schema.js';
import { retryBudgetMs } from '../carriers/calls.js';
import type { RoutedCarrier } from '../carriers/directory.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { encrypt, randomId, sealedAt } from '../keys.js';

/** The body of CAMARA's createPayment and preparePayment, as the HTTP schema admitted it. */
export interface PaymentRequest {
  amountTransaction: {
    phoneNumber?: string;
    clientCorrelator?: string;
    referenceCode: string;
    paymentAmount: {
      chargingInformation: { amount: number; currency: string; description: string };
      chargingMetaData?: Record<string, unknown>;
      paymentDetails?: unknown[];
    };
  };
  sink?: string;
  sinkCredential?: unknown;
}

export type Admission =
  { fresh: true; payment: PaymentRecord; carrier: RoutedCarrier } | { fresh: false; payment: PaymentRecord };

/** What the caller of admitPayment adds to a plain request. */
export interface AdmissionHooks {
  /**
   * Whether a new payment that will text a code may be written now (SMS limits); a replay of an
   * existing one always may. Not asked under a consent (no code), unless the rules step it up.
   */
  mayAdmit?: (phoneNumber: string) => Promise<boolean>;
  /** A one-step charge's operation id: its intent is written with the new payment. */
  chargeOperationId?: string;
  /** The phone user's standing consent the payment is made under: its caps are checked with the limits. */
  consent?: ConsentRecord;
  /** The subscription period the payment charges. */
  subscription?: { id: string; period: number };
  /**
   * A consent payment the risk rules find risky asks the phone user for a code instead, and is
   * held for review (preparePayment can); without this it is refused.
   */
  mayStepUp?: boolean;
}

/**
 * Checks a new payment request and writes it (the intent, before any carrier call), or finds the
 * payment it repeats. Idempotency as CAMARA defines it: the same clientCorrelator with the same
 * request is the same payment; with another request it is an error; a reused referenceCode is a conflict.
 */
export async function admitPayment(
  ctx: Context,
  merchant: MerchantPrincipal,
  body: PaymentRequest,
  kind: PaymentRecord['kind'],
  hooks: AdmissionHooks = {},
): Promise<Admission> {
  const correlator = body.amountTransaction.clientCorrelator;
  if (correlator === undefined) return admitOnce(ctx, merchant, body, kind, hooks);
  const key = `${merchant.id}\u0000${correlator}`;
  const original = admissionsInFlight.get(key);
  if (original) {
    // A copy sent before its original is written waits for it, then finds it (or, should the
    // original have been refused, is tried on its own) instead of racing it for a code send.
    await original.catch(() => undefined);
    return admitOnce(ctx, merchant, body, kind, hooks);
  }
  const admission = admitOnce(ctx, merchant, body, kind, hooks);
  admissionsInFlight.set(key, admission);
  try {
    return await admission;
  } finally {
    admissionsInFlight.delete(key);
  }
}

/** admitPayment's work, for one request. */
async function admitOnce(
  ctx: Context,
  merchant: MerchantPrincipal,
  body: PaymentRequest,
  kind: PaymentRecord['kind'],
  hooks: AdmissionHooks,
): Promise<Admission> {
  const tx = body.amountTransaction;
  const named = subjectNumber(merchant, tx.phoneNumber);
  if (named === undefined) throw errors.missingIdentifier();
  const phoneNumber = requireRealPhoneNumber(named);
  const charging = tx.paymentAmount.chargingInformation;
  if (!ctx.config.currencies.includes(charging.currency))
    throw errors.invalidArgument('Currency is unknown or not authorized.');
  const amountMinor = toMinorUnits(charging.amount, charging.currency);
  if (
    (await ctx.cache.hit(`payment-requests:${merchant.id}`, 1)) >
    (merchant.limits.requestsPerSecond ?? ctx.config.limits.paymentRequestsPerMerchantPerSecond)
  ) {
    throw errors.tooManyRequests('Too many payment requests; slow down.', 1);
  }
  const carrier = await servingCarrier(ctx, phoneNumber);
  // The phone user's own word comes first: a blocked number is refused before any SMS or carrier call.
  const controls = await ctx.store.phoneControls.find(phoneNumber);
  if (isBlocked(controls, ctx.clock.now()))
    throw errors.paymentDenied('The phone user has blocked carrier billing on this number.');
  if (!carrier.breaker.allowRequest()) {
    throw errors.unavailable(
      `Carrier ${carrier.config.name} is not answering; try again later.`,
      carrier.breaker.retryAfterSeconds(),
    );
  }

  const digest = createHash('sha256')
    .update(JSON.stringify([kind, body]))
    .digest('base64url');
  const initialStatus = kind === 'two_step' ? 'reserving' : 'charging';
  const budget = callBudgetMs(carrier.config, kind);

  const duplicateOf = async (): Promise<Admission | undefined> => {
    const existing = await ctx.store.payments.findLiveDuplicate(
      merchant.id,
      tx.clientCorrelator ?? null,
      tx.referenceCode,
    );
    if (!existing) return undefined;
    if (tx.clientCorrelator === undefined || existing.client_correlator !== tx.clientCorrelator) {
      throw errors.alreadyExists('referenceCode already used for another payment.');
    }
    // Under a three-legged token the body names no number: the same body for another number is another request.
    if (existing.request_digest !== digest || existing.phone_number !== phoneNumber)
      throw errors.invalidArgument('clientCorrelator already exist on server.');
    // An asynchronous merchant was answered `processing` at once the first time: so again.
    return { fresh: false, payment: existing.completes_async ? existing : await settled(ctx, existing, budget) };
  };

  const admitCodeSend = async () => {
    if (!hooks.mayAdmit || (await hooks.mayAdmit(phoneNumber))) return undefined;
    // Out of sends, unless this repeats a request already written.
    const replay = await duplicateOf();
    if (replay) return replay;
    throw errors.tooManyRequests('Too many codes sent to this phone number; try again later.', 3600);
  };
  // No code is sent under a consent (unless the rules step the payment up, below).
  let consent = hooks.consent;
  const refusedSends = consent ? undefined : await admitCodeSend();
  if (refusedSends) return refusedSends;

  // The cash-out defence: the rules and the carrier's answers now; the number's purchase history
  // under its lock, so that concurrent purchases cannot all count as the first. A subscription's
  // renewals are not screened (its first charge is): the phone user agreed to them with a code.
  const screening =
    hooks.subscription && hooks.subscription.period > 0
      ? undefined
      : await screeningFor(ctx, merchant, carrier, phoneNumber, amountMinor);
  let steppedUp = false;

  const limits = {
    monthlyPerPhoneMinor: monthlyLimitOfNumber(carrier.config.monthlyLimitMinor, controls, ctx.clock.now()),
    perPaymentMinor: merchant.limits.maxPaymentMinor ?? ctx.config.limits.maxPaymentMinor,
    dailyPerMerchantMinor: merchant.dailyCapMinor,
  };
  const row = (id: string, now: Date, risk: RecordedRisk | undefined): NewPayment => ({
    id,
    merchant_id: merchant.id,
    kind,
    status: initialStatus,
    client_correlator: tx.clientCorrelator ?? null,
    request_digest: digest,
    reference_code: tx.referenceCode,
    phone_number: phoneNumber,
    carrier_id: carrier.config.id,
    amount_minor: amountMinor,
    currency: charging.currency,
    description: charging.description,
    request: tx,
    sink: body.sink ?? null,
    // The merchant's access token for its sink, kept only encrypted.
    sink_credential_encrypted:
      body.sink && body.sinkCredential
        ? encrypt(ctx.keys.merchantSecrets, JSON.stringify(body.sinkCredential), sealedAt.sinkCredential(id))
        : null,
    // A reservation still in flight after twice its budget was abandoned by a dead process.
    deadline_at: kind === 'two_step' ? new Date(now.getTime() + 2 * budget + 10_000) : null,
    completes_async: merchant.completionMode === 'async',
    // Known from the start, so an asynchronous prepare's first answer can carry it; none
    // under a consent, where no code is asked.
    authorization_id: kind === 'two_step' && !consent ? randomBytes(16).toString('base64url') : null,
    consent_id: consent?.id ?? null,
    subscription_id: hooks.subscription?.id ?? null,
    subscription_period: hooks.subscription?.period ?? null,
    risk_decision: risk?.decision ?? null,
    risk_reasons: risk ? [...risk.reasons] : null,
  });
  const actor = `merchant:${merchant.id}`;

  /** In one transaction: the limits under the number's lock, the rules, and the payment written. */
  const admit = async (store: StoreTransaction, now: Date): Promise<AdmissionOutcome> => {
    const breach =
      (limitBreach(amountMinor, limits, await store.payments.lockSpending(phoneNumber, merchant, now)) ??
        (consent && (await consentBreach(store, consent.id, { phoneNumber, amountMinor }, now)))) ||
      (await categoryCapBreach(ctx, store, merchant, { phoneNumber, amountMinor }, now));
    if (breach) return { refused: breach };
    const risk = recordedRisk(screening?.assess(await store.payments.purchaseHistory(phoneNumber, now)), steppedUp);
    // A risky charge without a code is never made silently (below: stepped up, or refused).
    const codeless = kind === 'one_step' || consent !== undefined;
    if (risk && (risk.decision === 'deny' || (risk.decision === 'review' && codeless))) return { risky: risk };
    const audit = { actor, event: kind === 'two_step' ? 'prepare_requested' : 'create_requested' };
    const payment = await store.payments.recordNew(
      row(randomId('pay_'), now, risk),
      now,
      audit,
      hooks.chargeOperationId,
    );
    return { payment };
  };

  // A conflicting payment can be rejected between our insert and our look-up; then try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = ctx.clock.now();
    const outcome = await ctx.store.transaction((store) => admit(store, now));
    if ('payment' in outcome && outcome.payment) {
      if (outcome.payment.risk_decision) ctx.metrics.riskDecision(outcome.payment.risk_decision);
      return { fresh: true, payment: outcome.payment, carrier };
    }
    const replay = await duplicateOf();
    if (replay) return replay;
    if ('refused' in outcome) throw outcome.refused;
    if (!('risky' in outcome)) continue;
    if (outcome.risky.decision === 'deny' || !consent || !hooks.mayStepUp) {
      await recordRiskRefusal(
        ctx,
        row(randomId('pay_'), now, { decision: 'deny', reasons: outcome.risky.reasons }),
        now,
      );
      throw outcome.risky.decision === 'deny'
        ? errors.paymentDenied('The payment was refused by the risk rules.')
        : errors.paymentDenied("This payment needs the phone user's code: prepare it (two steps) instead.");
    }
    // Step-up: the consent is set aside; the phone user is asked for a code, and the payment is
    // held for an operator as any risky one (recorded `step_up`). Once only, so not a race's try.
    consent = undefined;
    steppedUp = true;
    attempt -= 1;
    const refusedSend = await admitCodeSend();
    if (refusedSend) return refusedSend;
  }
  throw errors.alreadyExists('referenceCode already used for another payment.');
}

/** A payment the rules refused, kept `rejected` with the rules that fired, for the operator. */
async function recordRiskRefusal(ctx: Context, payment: NewPayment, now: Date): Promise<void> {
  await ctx.store.payments.recordDenied(payment, now, {
    actor: `merchant:${payment.merchant_id}`,
    event: 'risk_denied',
    detail: { rules: (payment.risk_reasons ?? []).map((r) => r.rule) },
  });
  ctx.metrics.riskDecision('deny');
}

/**
 * Admissions this instance is writing, by merchant and clientCorrelator: a copy of one, sent
 * before its payment is committed, waits for it rather than race it for the number's last code
 * send (and be refused 429 while its original goes through). Copies on other instances still
 * race; a client that repeats a request at once is rare, and is answered 429 or the payment.
 */
const admissionsInFlight = new Map<string, Promise<unknown>>();

/** A decision as recorded with the payment: a `review` after a step-up is recorded `step_up`. */
type RecordedRisk = { decision: PaymentRiskDecision; reasons: readonly RiskReason[] };

/** What the admission's transaction came to: written (or lost to a concurrent one), over a limit, or risky. */
type AdmissionOutcome = { payment: PaymentRecord | undefined } | { refused: ApiError } | { risky: RecordedRisk };

function recordedRisk(assessment: RiskAssessment | undefined, steppedUp: boolean): RecordedRisk | undefined {
  if (!assessment) return undefined;
  return steppedUp && assessment.decision === 'review' ? { ...assessment, decision: 'step_up' } : assessment;
}

/**
 * How long the first carrier call of a new payment may take: a prepare's reserve, or a one-step
 * charge. A prepare left reserving by a dead process is given up after twice that, and its
 * reservation released: the sooner, the less of the phone user's headroom it holds.
 */
function callBudgetMs(carrier: CarrierConfig, kind: PaymentRecord['kind']): number {
  const timeout = kind === 'two_step' ? carrier.timeoutsMs.reserveAmount : carrier.timeoutsMs.chargeAmount;
  return retryBudgetMs(carrier.retry, timeout);
}

/**
 * A repeated request waits until the original has its first carrier answer, so both get the same
 * reply; one still in flight after that is a 409 to retry later. "In flight" means still reserving,
 * or a one-step charge not yet touched since creation.
 */
async function settled(ctx: Context, payment: PaymentRecord, budgetMs: number): Promise<PaymentRecord> {
  const inFlight = (p: PaymentRecord) =>
    p.status === 'reserving' || (p.status === 'charging' && p.updated_at.getTime() === p.created_at.getTime());
  const until = Date.now() + budgetMs + 1_000;
  let current = payment;
  while (inFlight(current) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await ctx.store.payments.find(payment.id)) ?? current;
  }
  if (inFlight(current))
    throw errors.alreadyExists('A request with this clientCorrelator is still being processed; retry later.');
  return current;
}

/**
 * The carrier serving a phone number; CAMARA's 422 SERVICE_NOT_APPLICABLE for a real number no
 * carrier of the gateway serves.
 */
export async function servingCarrier(ctx: Context, phoneNumber: string): Promise<RoutedCarrier> {
  const carrier = await ctx.carriers.route(phoneNumber);
  if (!carrier) throw errors.serviceNotApplicable();
  return carrier;
}

/**
 * The phone number a request is about (CAMARA's "identifying the phone number from the access
 * token"): a three-legged token's, and then the request must not name one (422
 * UNNECESSARY_IDENTIFIER, even the same one); else the one the request names, if any.
 */
export function subjectNumber(merchant: Pick<MerchantPrincipal, 'phoneUser'>, named: string | undefined) {
  if (!merchant.phoneUser) return named;
  if (named !== undefined) throw errors.unnecessaryIdentifier();
  return merchant.phoneUser.phoneNumber;
}

/**
 * The phone number of a second step (confirm, cancel), checked as CAMARA's scenarios want it
 * before the payment is looked at: 422 MISSING_IDENTIFIER without one, 404 IDENTIFIER_NOT_FOUND
 * for no real number, 422 SERVICE_NOT_APPLICABLE for one no carrier of the gateway serves.
 */
export async function requireServedNumber(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'phoneUser'>,
  named: string | undefined,
): Promise<string> {
  const phoneNumber = subjectNumber(merchant, named);
  if (phoneNumber === undefined) throw errors.missingIdentifier();
  await servingCarrier(ctx, requireRealPhoneNumber(phoneNumber));
  return phoneNumber;
}
