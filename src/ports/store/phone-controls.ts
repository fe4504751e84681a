import type { PhoneControls } from '../../domain/phone-controls.js';

/** Phone users' own controls over carrier billing on their numbers. */
export interface PhoneControlStore {
  find(phoneNumber: string): Promise<PhoneControls | undefined>;
  /** Blocked from now on (an unblock underway is called off). */
  block(phoneNumber: string, now: Date): Promise<void>;
  /** A block lifted at `at`; false when the number was not blocked. */
  unblockAt(phoneNumber: string, at: Date, now: Date): Promise<boolean>;
  /** The own limit now, or (`raiseAt`) a higher one from then on; null removes it. */
  setLimit(phoneNumber: string, limitMinor: bigint | null, now: Date, raiseAt?: Date): Promise<void>;
}
