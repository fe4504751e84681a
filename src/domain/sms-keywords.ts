/** What a phone user's SMS reply asks for (CONTRACTS §7), in Korean or English, any case. */
export type Reply =
  | { kind: 'stop'; merchantName?: string }
  | { kind: 'block' }
  | { kind: 'unblock' }
  | { kind: 'limit'; amount: number }
  | { kind: 'help' };

/**
 * Reads a reply: `STOP`/`해지` [merchant name], `BLOCK`/`차단`, `UNBLOCK`/`차단해제`,
 * `LIMIT`/`한도` <amount> (digits, commas allowed). Anything else asks for help.
 */
export function readReply(text: string): Reply {
  const words = text.normalize('NFC').trim().split(/\s+/);
  const keyword = (words[0] ?? '').toUpperCase();
  const rest = words.slice(1).join(' ');
  switch (keyword) {
    case 'STOP':
    case '해지':
      return rest ? { kind: 'stop', merchantName: rest } : { kind: 'stop' };
    case 'BLOCK':
    case '차단':
      return rest ? { kind: 'help' } : { kind: 'block' };
    case 'UNBLOCK':
    case '차단해제':
      return rest ? { kind: 'help' } : { kind: 'unblock' };
    case 'LIMIT':
    case '한도': {
      const amount = /^\d{1,3}(,\d{3})*$|^\d{1,12}$/.test(rest) ? Number(rest.replace(/,/g, '')) : Number.NaN;
      return Number.isSafeInteger(amount) ? { kind: 'limit', amount } : { kind: 'help' };
    }
    default:
      return { kind: 'help' };
  }
}

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
