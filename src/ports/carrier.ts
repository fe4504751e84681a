/**
 * What the core needs from a carrier, whatever protocol the carrier speaks. Business results are
 * returned as outcomes; an adapter throws only for its own bugs.
 */
export type DeclineReason =
  | 'insufficient_funds'
  | 'limit_exceeded'
  | 'barred'
  | 'invalid_subscriber'
  | 'not_supported'
  | 'invalid_input'
  | 'other';

export type CarrierOutcome<T = void> =
  | { kind: 'succeeded'; value: T; carrierReference?: string }
  | { kind: 'declined'; reason: DeclineReason; carrierCode: string }
  /** Definitely not applied: safe to retry with the same reference. */
  | { kind: 'not_executed'; detail: string }
  /** May have been applied: never retry under a new reference; recovery decides. */
  | { kind: 'unknown'; detail: string };

export interface ChargeRequest {
  /** E.164 number of the subscriber. */
  readonly phoneNumber: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly description: string;
  /** Stable id of this attempt, sent as Parlay X referenceCode / OneAPI clientCorrelator. */
  readonly reference: string;
}

export interface ReservationCharge extends ChargeRequest {
  readonly reservationId: string;
}

export interface SmsRequest {
  readonly phoneNumber: string;
  readonly senderName: string;
  readonly text: string;
}

export interface ReservationRef {
  readonly reservationId: string;
  readonly phoneNumber: string;
}

/** What a carrier's status query says about a reference: applied, not applied, or no answer. */
export type TransactionStatus = 'applied' | 'not_applied' | 'unknown';

/** What a carrier says about the reservation asked for under a reference whose answer was lost. */
export type ReservationLookup = { kind: 'held'; reservationId: string } | { kind: 'none' } | { kind: 'unknown' };

export interface CarrierAdapter {
  readonly carrierId: string;
  /**
   * `reference` is the payment's stable reservation reference, written before the call, sent as
   * OneAPI clientCorrelator (Parlay X 2.1 reserveAmount has no field for it).
   */
  reserveAmount(request: ChargeRequest): Promise<CarrierOutcome<{ reservationId: string }>>;
  chargeReservation(request: ReservationCharge): Promise<CarrierOutcome>;
  releaseReservation(request: ReservationRef): Promise<CarrierOutcome>;
  chargeAmount(request: ChargeRequest): Promise<CarrierOutcome>;
  /** Gives money back to the subscriber's bill. */
  refundAmount(request: ChargeRequest): Promise<CarrierOutcome>;
  /** Only for carriers with the `statusQuery` capability. */
  queryTransaction?(request: {
    reference: string;
    phoneNumber: string;
    kind: 'charge' | 'refund';
  }): Promise<TransactionStatus>;
  /**
   * The reservation made under `reference`, if any, for releasing one whose answer was lost. Only
   * for carriers with the `statusQuery` capability whose protocol can ask (OneAPI, by clientCorrelator).
   */
  findReservation?(request: { reference: string; phoneNumber: string }): Promise<ReservationLookup>;
  sendSms(request: SmsRequest): Promise<CarrierOutcome<{ messageId: string }>>;
  close(): Promise<void>;
}

/** Credentials resolved from the environment variables a carrier's configuration names. */
export interface CarrierCredentials {
  readonly username?: string;
  readonly password?: string;
}
