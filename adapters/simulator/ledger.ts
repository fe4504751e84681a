import { randomUUID } from 'node:crypto';

/** A carrier's refusal, rendered by the protocol layer as its own fault. */
export class CarrierFault extends Error {
  constructor(
    readonly faultId: string,
    readonly text: string,
    readonly kind: 'service' | 'policy' = faultId.startsWith('POL') ? 'policy' : 'service',
  ) {
    super(`${faultId}: ${text}`);
  }
}

export interface LedgerEntry {
  readonly carrierTransactionId: string;
  readonly type: 'charge' | 'refund';
  readonly referenceCode: string;
  readonly msisdn: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly description: string;
  readonly at: Date;
}

interface Reservation {
  readonly id: string;
  readonly msisdn: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** The client's reference for it (OneAPI clientCorrelator), when the protocol carries one. */
  readonly reference?: string;
  readonly madeAt: number;
  /** `lapsed_released`: lapsed, and its release asked for afterwards (late, but not forgotten). */
  state: 'open' | 'charged' | 'released' | 'lapsed' | 'lapsed_released';
}

export interface LedgerOptions {
  readonly carrierId: string;
  readonly monthlyLimitMinor: bigint;
  /** Whether a repeated reference is recognised and not applied again. */
  readonly dedupesReferences: boolean;
  /** How long a reservation neither charged nor released holds headroom before it lapses, as real carriers' do. */
  readonly reservationLapseMs: number;
}

/**
 * One simulated carrier's books: reservations, charges and refunds per subscriber, and the
 * monthly carrier-billing limit. Protocol-free; the SOAP and REST layers sit on top.
 */
export class CarrierLedger {
  readonly entries: LedgerEntry[] = [];
  private readonly reservations = new Map<string, Reservation>();
  /** Net charged per `msisdn|YYYY-MM`, and the `type|reference` keys applied: O(1) checks under load. */
  private readonly monthlyNet = new Map<string, bigint>();
  private readonly appliedReferences = new Set<string>();
  private readonly reservationsByMsisdn = new Map<string, Set<Reservation>>();
  private readonly reservationsByReference = new Map<string, Reservation>();
  private lapsed = 0;

  constructor(readonly options: LedgerOptions) {}

  /** A reference seen before (OneAPI: the same clientCorrelator) is the same request: its reservation. */
  reserve(msisdn: string, amountMinor: bigint, currency: string, reference?: string): string {
    const key = reference && `${msisdn}|${reference}`;
    const earlier = key ? this.reservationsByReference.get(key) : undefined;
    if (earlier) return earlier.id;
    this.requireHeadroom(msisdn, amountMinor);
    const id = `${this.options.carrierId}-R-${randomUUID()}`;
    const reservation: Reservation = {
      id,
      msisdn,
      amountMinor,
      currency,
      reference,
      madeAt: Date.now(),
      state: 'open',
    };
    this.reservations.set(id, reservation);
    if (key) this.reservationsByReference.set(key, reservation);
    const mine = this.reservationsByMsisdn.get(msisdn) ?? new Set<Reservation>();
    mine.add(reservation);
    this.reservationsByMsisdn.set(msisdn, mine);
    return id;
  }

  /** The reservation made under a reference, whatever became of it. */
  reservationWithReference(msisdn: string, reference: string): Pick<Reservation, 'id' | 'state'> | undefined {
    const reservation = this.reservationsByReference.get(`${msisdn}|${reference}`);
    if (reservation) this.lapseIfDue(reservation);
    return reservation;
  }

  chargeReservation(reservationId: string, amountMinor: bigint, referenceCode: string, description: string): void {
    const reservation = this.reservations.get(reservationId);
    if (reservation) this.lapseIfDue(reservation);
    if (this.alreadyApplied('charge', referenceCode)) return;
    if (!reservation || reservation.state !== 'open')
      throw new CarrierFault('SVC0002', `Invalid input value: reservation ${reservationId} is not open`);
    if (amountMinor > reservation.amountMinor)
      throw new CarrierFault('SVC0002', 'Invalid input value: amount exceeds the reservation');
    reservation.state = 'charged';
    this.reservationsByMsisdn.get(reservation.msisdn)?.delete(reservation);
    this.record('charge', reservation.msisdn, amountMinor, reservation.currency, referenceCode, description);
  }

  release(reservationId: string): void {
    const reservation = this.reservations.get(reservationId);
    if (!reservation) throw new CarrierFault('SVC0002', `Invalid input value: unknown reservation ${reservationId}`);
    if (reservation.state === 'charged')
      throw new CarrierFault('SVC0002', 'Invalid input value: reservation already charged');
    // Releasing one that lapsed asks for what already happened: nothing is held either way. It
    // was not forgotten, though; only reservations nobody ever released count as lapsed.
    if (this.lapseIfDue(reservation)) {
      reservation.state = 'lapsed_released';
      this.lapsed -= 1;
      return;
    }
    if (reservation.state === 'lapsed_released') return;
    reservation.state = 'released';
    this.reservationsByMsisdn.get(reservation.msisdn)?.delete(reservation);
  }

  charge(msisdn: string, amountMinor: bigint, currency: string, referenceCode: string, description: string): void {
    if (this.alreadyApplied('charge', referenceCode)) return;
    this.requireHeadroom(msisdn, amountMinor);
    this.record('charge', msisdn, amountMinor, currency, referenceCode, description);
  }

  refund(msisdn: string, amountMinor: bigint, currency: string, referenceCode: string, description: string): void {
    if (this.alreadyApplied('refund', referenceCode)) return;
    this.record('refund', msisdn, amountMinor, currency, referenceCode, description);
  }

  /** Everything applied under a reference (what a status query answers from). */
  entriesWithReference(referenceCode: string): LedgerEntry[] {
    return this.entries.filter((e) => e.referenceCode === referenceCode);
  }

  reservationOwner(reservationId: string): string | undefined {
    return this.reservations.get(reservationId)?.msisdn;
  }

  openReservations(msisdn: string): Reservation[] {
    return [...(this.reservationsByMsisdn.get(msisdn) ?? [])].filter((r) => !this.lapseIfDue(r));
  }

  /** Every reservation neither charged nor released nor lapsed, whoever's. */
  allOpenReservations(): Reservation[] {
    return [...this.reservations.values()].filter((r) => r.state === 'open' && !this.lapseIfDue(r));
  }

  /** Reservations that lapsed, never charged nor released, not even late (those looked at since). */
  get lapsedReservations(): number {
    return this.lapsed;
  }

  /** Lapses an open reservation past its time (lazily, when it is looked at); whether it is lapsed. */
  private lapseIfDue(reservation: Reservation): boolean {
    if (reservation.state === 'open' && Date.now() - reservation.madeAt >= this.options.reservationLapseMs) {
      reservation.state = 'lapsed';
      this.lapsed += 1;
      this.reservationsByMsisdn.get(reservation.msisdn)?.delete(reservation);
    }
    return reservation.state === 'lapsed';
  }

  /** Charged minus refunded this calendar month, plus what open reservations hold. */
  private committedThisMonth(msisdn: string): bigint {
    let total = this.monthlyNet.get(monthKey(msisdn, new Date())) ?? 0n;
    for (const r of this.openReservations(msisdn)) total += r.amountMinor;
    return total;
  }

  private requireHeadroom(msisdn: string, amountMinor: bigint): void {
    if (this.committedThisMonth(msisdn) + amountMinor > this.options.monthlyLimitMinor) {
      throw new CarrierFault('POL1001', 'User has exceeded the limit for the period');
    }
  }

  private alreadyApplied(type: LedgerEntry['type'], referenceCode: string): boolean {
    return this.options.dedupesReferences && this.appliedReferences.has(`${type}|${referenceCode}`);
  }

  private record(
    type: LedgerEntry['type'],
    msisdn: string,
    amountMinor: bigint,
    currency: string,
    referenceCode: string,
    description: string,
  ): void {
    const at = new Date();
    const key = monthKey(msisdn, at);
    this.monthlyNet.set(key, (this.monthlyNet.get(key) ?? 0n) + (type === 'charge' ? amountMinor : -amountMinor));
    this.appliedReferences.add(`${type}|${referenceCode}`);
    this.entries.push({
      carrierTransactionId: `${this.options.carrierId}-T-${randomUUID()}`,
      type,
      referenceCode,
      msisdn,
      amountMinor,
      currency,
      description,
      at,
    });
  }
}

function monthKey(msisdn: string, at: Date): string {
  return `${msisdn}|${at.toISOString().slice(0, 7)}`;
}
