import type { CarrierAdapter, CarrierOutcome } from '../../ports/carrier.js';
import type { CarrierOperationName, Metrics } from '../../ports/metrics.js';

/** Wraps a carrier adapter so every call is counted by its outcome class and timed. */
export function meterCalls(adapter: CarrierAdapter, metrics: Metrics): CarrierAdapter {
  const carrierId = adapter.carrierId;
  const timed = async <T>(operation: CarrierOperationName, call: () => Promise<T>, outcome: (result: T) => string) => {
    const started = process.hrtime.bigint();
    const result = await call();
    metrics.carrierCall(carrierId, operation, outcome(result), Number(process.hrtime.bigint() - started) / 1e9);
    return result;
  };
  const kind = (o: CarrierOutcome<unknown>) => o.kind;
  const query = adapter.queryTransaction?.bind(adapter);
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
    close: () => adapter.close(),
  };
}
