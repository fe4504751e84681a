import { errors, type ApiError } from './errors.js';
import type { PaymentStatus } from './payment-state.js';

/** Payment states whose amount counts against the limits: held, being charged, or charged. */
export const COMMITTED_STATES: readonly PaymentStatus[] = [
  'reserving',
  'pending_validation',
  'held',
  'reserved',
  'charging',
  'manual_review',
  'succeeded',
];

export interface SpendingLimits {
  /** Per phone number and calendar month, across merchants (the carrier's limit). */
  readonly monthlyPerPhoneMinor: number;
  /** Per single payment. */
  readonly perPaymentMinor: number;
  /** Per merchant and day, when the merchant has one. */
  readonly dailyPerMerchantMinor: number | null;
}

export interface Committed {
  /** What the phone number already committed this month (live and succeeded payments less refunds). */
  readonly phoneThisMonthMinor: bigint;
  /** What the merchant already committed today. */
  readonly merchantTodayMinor: bigint;
}

/** The CAMARA refusal for an amount that breaks a limit, or undefined when it fits. */
export function limitBreach(amountMinor: bigint, limits: SpendingLimits, committed: Committed): ApiError | undefined {
  if (amountMinor > BigInt(limits.perPaymentMinor)) return errors.unauthorizedAmount();
  if (committed.phoneThisMonthMinor + amountMinor > BigInt(limits.monthlyPerPhoneMinor))
    return errors.amountThresholdOverpassed();
  if (
    limits.dailyPerMerchantMinor !== null &&
    committed.merchantTodayMinor + amountMinor > BigInt(limits.dailyPerMerchantMinor)
  ) {
    return errors.amountThresholdOverpassed();
  }
  return undefined;
}

/** The first instant of the calendar month and of the day of `now`, in UTC. */
export function periodStarts(now: Date): { month: Date; day: Date } {
  return {
    month: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    day: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())),
  };
}
