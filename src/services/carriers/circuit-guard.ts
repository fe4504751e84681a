import type { CircuitBreaker } from '../../domain/circuit-breaker.js';
import type { CarrierAdapter, CarrierOutcome } from '../../ports/carrier.js';

/**
 * Wraps a carrier adapter so every answer feeds the carrier's circuit breaker: an answer (even a
 * decline) proves the carrier alive; no answer (`not_executed`, `unknown`) counts as a failure.
 */
export function guardWithBreaker(adapter: CarrierAdapter, breaker: CircuitBreaker): CarrierAdapter {
  const recorded =
    <A extends unknown[], T>(call: (...args: A) => Promise<CarrierOutcome<T>>) =>
    async (...args: A): Promise<CarrierOutcome<T>> => {
      const outcome = await call(...args);
      breaker.record(outcome.kind === 'succeeded' || outcome.kind === 'declined');
      return outcome;
    };
  return {
    carrierId: adapter.carrierId,
    reserveAmount: recorded((r) => adapter.reserveAmount(r)),
    chargeReservation: recorded((r) => adapter.chargeReservation(r)),
    releaseReservation: recorded((r) => adapter.releaseReservation(r)),
    chargeAmount: recorded((r) => adapter.chargeAmount(r)),
    refundAmount: recorded((r) => adapter.refundAmount(r)),
    sendSms: recorded((r) => adapter.sendSms(r)),
    ...(adapter.queryTransaction ? { queryTransaction: adapter.queryTransaction.bind(adapter) } : {}),
    ...(adapter.findReservation ? { findReservation: adapter.findReservation.bind(adapter) } : {}),
    close: () => adapter.close(),
  };
}
