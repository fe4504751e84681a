/** A phone user's own controls over carrier billing on their number. */
export interface PhoneControls {
  blockedAt: Date | null;
  /** When a requested unblock takes effect (the cooling-off period after `UNBLOCK`). */
  unblockAt: Date | null;
  /** The user's own monthly limit, below the carrier's, in minor units. */
  ownLimitMinor: bigint | null;
  /** A higher own limit asked for, and when it takes effect (lowering is immediate, raising is not). */
  raisedLimitMinor: bigint | null;
  raisedLimitAt: Date | null;
}

export function isBlocked(controls: PhoneControls | undefined, now: Date): boolean {
  return controls?.blockedAt != null && (controls.unblockAt === null || controls.unblockAt > now);
}

/** The user's own monthly limit in force now, if any. */
export function ownLimit(controls: PhoneControls | undefined, now: Date): bigint | null {
  if (!controls) return null;
  if (controls.raisedLimitAt !== null && controls.raisedLimitAt <= now) return controls.raisedLimitMinor;
  return controls.ownLimitMinor;
}

/** The monthly limit of a number now: the carrier's, or the phone user's own when lower. */
export function monthlyLimitOfNumber(
  carrierLimitMinor: number,
  controls: PhoneControls | undefined,
  now: Date,
): number {
  const own = ownLimit(controls, now);
  return own === null ? carrierLimitMinor : Math.min(carrierLimitMinor, Number(own));
}
