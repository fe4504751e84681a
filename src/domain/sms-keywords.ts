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
      // Digits with or without thousands' commas, at most 12 of them (0 stops carrier billing too).
      const digits = /^\d{1,3}(,\d{3})*$|^\d+$/.test(rest) ? rest.replace(/,/g, '') : '';
      return /^\d{1,12}$/.test(digits) ? { kind: 'limit', amount: Number(digits) } : { kind: 'help' };
    }
    default:
      return { kind: 'help' };
  }
}
