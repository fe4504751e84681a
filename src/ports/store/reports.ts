/** Charged payments of one UTC day and carrier. */
export interface DailyVolume {
  day: string;
  carrier_id: string;
  payments: bigint;
}

/** What one carrier charged since a moment, per currency. */
export interface CarrierVolume {
  carrierId: string;
  currency: string;
  payments: number;
  amountMinor: bigint;
}

/** Two-step payments since a moment, by the furthest step each reached. */
export interface Funnel {
  /** A code was sent (the carrier reserved the amount). */
  prepared: number;
  validated: number;
  confirmed: number;
  succeeded: number;
}

/** What the operators read at a glance; each is one aggregate over recent rows, never whole tables. */
export interface ReportStore {
  dailyVolume(from: Date): Promise<DailyVolume[]>;
  volumeSince(from: Date): Promise<CarrierVolume[]>;
  funnelSince(from: Date): Promise<Funnel>;
  /** Payments ended denied or rejected since `from`, by reason, most frequent first. */
  declinesSince(from: Date): Promise<Array<{ reason: string; payments: number }>>;
}
