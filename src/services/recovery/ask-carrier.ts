import type { CarrierOutcome, ChargeRequest } from '../../ports/carrier.js';
import { callWithRetries } from '../carriers/calls.js';
import type { RoutedCarrier } from '../carriers/directory.js';
import type { OperationRecord } from '../../ports/store/carrier-operations.js';

export interface CarrierAnswer {
  outcome: CarrierOutcome<unknown>;
  tries: number;
}

/**
 * What happened to an operation whose outcome the gateway does not know, in the carrier's words:
 * its status query where it has one, or the same reference sent again where it recognises
 * references (so the re-send cannot apply twice). Undefined when the carrier cannot tell.
 */
export async function askCarrier(
  carrier: RoutedCarrier,
  op: OperationRecord,
  request: ChargeRequest & { reservationId?: string },
): Promise<CarrierAnswer | undefined> {
  const { capabilities } = carrier.config;
  const kind = op.operation === 'refund' ? 'refund' : 'charge';
  if (capabilities.statusQuery && carrier.adapter.queryTransaction) {
    const status = await carrier.adapter.queryTransaction({ reference: op.id, phoneNumber: request.phoneNumber, kind });
    if (status === 'applied') return { outcome: { kind: 'succeeded', value: undefined }, tries: 1 };
    if (status === 'not_applied')
      return {
        outcome: {
          kind: 'declined',
          reason: 'other',
          carrierCode: `not ${kind === 'charge' ? 'charged' : 'refunded'} (status query)`,
        },
        tries: 1,
      };
    return { outcome: { kind: 'unknown', detail: 'status query unanswered' }, tries: 1 };
  }
  if (!capabilities.idempotentReferences) return undefined;
  const answer = await callWithRetries(carrier.config.retry, () => {
    switch (op.operation) {
      case 'charge_reservation':
        return carrier.adapter.chargeReservation({ ...request, reservationId: request.reservationId ?? '' });
      case 'charge_amount':
        return carrier.adapter.chargeAmount(request);
      default:
        return carrier.adapter.refundAmount(request);
    }
  });
  // Re-sent, a request refused as invalid may only mean "already done" (a charged reservation is
  // no longer open), so it proves nothing either way.
  if (answer.outcome.kind === 'declined' && answer.outcome.reason === 'invalid_input') {
    return {
      outcome: { kind: 'unknown', detail: `re-send declined ${answer.outcome.carrierCode}` },
      tries: answer.tries,
    };
  }
  return answer;
}
