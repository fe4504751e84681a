/**
 * The simulator's magic numbers: the last four digits of a subscriber number choose how the
 * simulated carrier behaves (CONTRACTS §4).
 */
export type Behaviour =
  | { kind: 'normal' }
  | { kind: 'decline'; faultId: 'POL1000' | 'POL0253' | 'POL1001'; text: string }
  | { kind: 'apply_then_hang' }
  | { kind: 'hang' }
  | { kind: 'refuse_first_attempt' }
  | { kind: 'drop_sms' }
  | { kind: 'decline_refunds' }
  | { kind: 'reserve_then_hang' };

const BY_SUFFIX: Readonly<Record<string, Behaviour>> = {
  '9901': { kind: 'decline', faultId: 'POL1000', text: 'User has insufficient credit for transaction' },
  '9902': { kind: 'decline', faultId: 'POL0253', text: 'Subscriber is barred from carrier billing' },
  '9903': { kind: 'decline', faultId: 'POL1001', text: 'User has exceeded the limit for the period' },
  '9904': { kind: 'apply_then_hang' },
  '9905': { kind: 'hang' },
  '9906': { kind: 'refuse_first_attempt' },
  '9907': { kind: 'drop_sms' },
  '9908': { kind: 'decline_refunds' },
  // Not in CONTRACTS §4: a reserve whose answer is lost (the reservation is made, the reply never comes).
  '9909': { kind: 'reserve_then_hang' },
};

export function behaviourOf(msisdn: string): Behaviour {
  return BY_SUFFIX[msisdn.slice(-4)] ?? { kind: 'normal' };
}
