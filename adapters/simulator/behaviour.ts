import { CarrierFault } from './ledger.js';
import { behaviourOf } from './magic.js';

/** What the protocol layer does with a request after the magic numbers had their say. */
export type Step<T> = { kind: 'answer'; value: T } | { kind: 'refuse' } | { kind: 'hang' };

export interface OperationCall {
  /** Operation name, e.g. chargeAmount. */
  readonly name: string;
  /** The subscriber, when the request names one (directly or through its reservation). */
  readonly msisdn: string | undefined;
  /** Whether the operation moves money (9904/9905 apply only to those). */
  readonly charging: boolean;
  /** Identifies a repeated request (9906 refuses only the first of each). */
  readonly attemptKey: string;
  /** The gateway's reference, if any (9904/9905 strike once per reference). */
  readonly reference?: string;
}

/**
 * The magic-number behaviours of CONTRACTS §4, shared by every simulated protocol. A carrier
 * that times out does so once per reference: a repeated reference is then answered like any
 * request, so a carrier that recognises references (bravo) does not apply it twice.
 */
export class Behaviours {
  private readonly seen = new Set<string>();

  run<T>(call: OperationCall, apply: () => T): Step<T> {
    const behaviour = call.msisdn ? behaviourOf(call.msisdn) : { kind: 'normal' as const };
    if (behaviour.kind === 'refuse_first_attempt' && this.first(`attempt|${call.name}|${call.attemptKey}`))
      return { kind: 'refuse' };
    if (behaviour.kind === 'decline' && call.name !== 'releaseReservation' && call.name !== 'refundAmount')
      throw new CarrierFault(behaviour.faultId, behaviour.text);
    if (behaviour.kind === 'decline_refunds' && call.name === 'refundAmount')
      throw new CarrierFault('POL1007', 'Refunds are not supported for this subscriber');
    const strikes =
      ((call.charging && (behaviour.kind === 'hang' || behaviour.kind === 'apply_then_hang')) ||
        (call.name === 'reserveAmount' && behaviour.kind === 'reserve_then_hang')) &&
      this.first(`timeout|${call.reference || call.attemptKey}`);
    if (strikes && behaviour.kind === 'hang') return { kind: 'hang' };
    const value = apply();
    return strikes ? { kind: 'hang' } : { kind: 'answer', value };
  }

  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
