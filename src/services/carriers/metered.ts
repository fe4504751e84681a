import type { CarrierAdapter, CarrierOutcome } from '../../ports/carrier.js';
import type { CarrierOperationName, Metrics } from '../../ports/metrics.js';
import type { CallStats } from './call-stats.js';

/** Outcomes that mean the carrier did not answer (a decline is an answer). */
const NO_ANSWER = new Set(['not_executed', 'unknown']);

/**
 * Wraps a carrier adapter so every call is counted by its outcome class and timed, in the metrics
 * and in the carrier's recent-call statistics.
 */
export function meterCalls(adapter: CarrierAdapter, metrics: Metrics, stats: CallStats): CarrierAdapter {
  const carrierId = adapter.carrierId;
  const timed = async <T>(operation: CarrierOperationName, call: () => Promise<T>, outcome: (result: T) => string) => {
    const started = process.hrtime.bigint();
    const result = await call();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const kind = outcome(result);
    metrics.carrierCall(carrierId, operation, kind, seconds);
    stats.record(!NO_ANSWER.has(kind), seconds * 1000);
    return result;
  };
  const kind = (o: CarrierOutcome<unknown>) => o.kind;
  const query = adapter.queryTransaction?.bind(adapter);
  const find = adapter.findReservation?.bind(adapter);
  return {
    carrierId,
    reserveAmount: (r) => timed('reserveAmount', () => adapter.reserveAmount(r), kind),
    chargeReservation: (r) => timed('chargeReservation', () => adapter.chargeReservation(r), kind),
    releaseReservation: (r) => timed('releaseReservation', () => adapter.releaseReservation(r), kind),
    chargeAmount: (r) => timed('chargeAmount', () => adapter.chargeAmount(r), kind),
    refundAmount: (r) => timed('refundAmount', () => adapter.refundAmount(r), kind),
    sendSms: (r) => timed('sendSms', () => adapter.sendSms(r), kind),
    ...(query
      ? {
          queryTransaction: (r) =>
            timed(
              'queryTransaction',
              () => query(r),
              (status) => status,
            ),
        }
      : {}),
    ...(find
      ? {
          findReservation: (r) =>
            timed(
              'findReservation',
              () => find(r),
              (lookup) => lookup.kind,
            ),
        }
      : {}),
    close: () => adapter.close(),
  };
}
