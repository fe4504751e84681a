import { afterEach, describe, expect, it, vi } from 'vitest';
import { CarrierFault, CarrierLedger } from '../../adapters/simulator/ledger.js';

/** The simulated carrier's reservations: one per client reference, and lapsing as real carriers' do. */
const ledger = () =>
  new CarrierLedger({
    carrierId: 'test',
    monthlyLimitMinor: 10_000n,
    dedupesReferences: false,
    reservationLapseMs: 60_000,
  });
const PHONE = '+821030001234';

afterEach(() => {
  vi.useRealTimers();
});

describe('simulated carrier reservations', () => {
  it('answer a repeated client reference with the reservation it made, holding the headroom once', () => {
    const books = ledger();
    const first = books.reserve(PHONE, 6_000n, 'KRW', 'pay_1');
    expect(books.reserve(PHONE, 6_000n, 'KRW', 'pay_1')).toBe(first);
    expect(books.openReservations(PHONE)).toHaveLength(1);
    expect(books.reservationWithReference(PHONE, 'pay_1')).toMatchObject({ id: first, state: 'open' });
    expect(books.reservationWithReference(PHONE, 'pay_2')).toBeUndefined();
  });

  it('lapse after their time: the headroom comes back, a charge is refused, a late release asks for nothing and is no lapse', () => {
    vi.useFakeTimers({ now: new Date('2026-11-10T00:00:00Z') });
    const books = ledger();
    const held = books.reserve(PHONE, 6_000n, 'KRW', 'pay_1');
    expect(() => books.reserve(PHONE, 6_000n, 'KRW')).toThrow(CarrierFault);
    vi.advanceTimersByTime(60_000);
    expect(books.openReservations(PHONE)).toEqual([]);
    expect(books.lapsedReservations).toBe(1);
    expect(books.reservationWithReference(PHONE, 'pay_1')?.state).toBe('lapsed');
    expect(() => books.chargeReservation(held, 6_000n, 'op_1', 'Voucher')).toThrow(/not open/);
    expect(() => books.release(held)).not.toThrow();
    // Released late, but released: not counted among the lapsed nobody ever let go of.
    expect(books.lapsedReservations).toBe(0);
    expect(() => books.release(held)).not.toThrow();
    expect(books.lapsedReservations).toBe(0);
    expect(books.reserve(PHONE, 6_000n, 'KRW')).toMatch(/^test-R-/);
  });
});
