import type { PaymentStatus } from '../domain/payment-state.js';
import type { PaymentRiskDecision } from './store/payments.js';

/** Carrier operations as the metrics name them. */
export type CarrierOperationName =
  | 'reserveAmount'
  | 'chargeReservation'
  | 'releaseReservation'
  | 'chargeAmount'
  | 'refundAmount'
  | 'sendSms'
  | 'queryTransaction'
  | 'findReservation';

/** What the gateway counts and times for its operators. Label values are always bounded. */
export interface Metrics {
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** A payment entered `status`. */
  paymentReached(status: PaymentStatus, carrierId: string, merchantId: string): void;
  /** `outcome`: the outcome class (succeeded, declined, not_executed, unknown), or a status query's or reservation lookup's answer. */
  carrierCall(carrierId: string, operation: CarrierOperationName, outcome: string, seconds: number): void;
  smsSent(carrierId: string, purpose: string, delivered: boolean): void;
  validationFailed(reason: 'wrong_code' | 'expired' | 'attempts_exhausted'): void;
  refundSettled(status: 'succeeded' | 'denied' | 'processing'): void;
  redemption(outcome: 'redeemed' | 'held' | 'insufficient_balance' | 'inactive' | 'not_found'): void;
  /** What the risk rules decided for a new payment. */
  riskDecision(decision: PaymentRiskDecision): void;
  jobRun(job: string, succeeded: boolean, seconds: number): void;
  /** The exposition for a scrape: Prometheus text format. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Metrics that count nothing (the CLI, tools). */
export const noMetrics: Metrics = {
  httpRequest: () => undefined,
  paymentReached: () => undefined,
  carrierCall: () => undefined,
  smsSent: () => undefined,
  validationFailed: () => undefined,
  refundSettled: () => undefined,
  redemption: () => undefined,
  riskDecision: () => undefined,
  jobRun: () => undefined,
  render: async () => ({ contentType: 'text/plain', body: '' }),
};
