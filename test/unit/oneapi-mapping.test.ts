import { describe, expect, it } from 'vitest';
import { reservationLookupOf } from '../../adapters/oneapi/mapping.js';

const list = (...entries: object[]) => ({ reservationTransactionList: { amountReservationTransaction: entries } });
const entry = (clientCorrelator: string, status: string, id = 'R-1') => ({
  clientCorrelator,
  transactionOperationStatus: status,
  resourceURL: `https://carrier.example/payment/v1/tel:+821030001234/transactions/amountReservation/${id}`,
});

/** A reservation found by its clientCorrelator is released; nothing else ever is (issue 14). */
describe('a reservation lookup by clientCorrelator', () => {
  it('finds the one still reserved under the reference', () => {
    expect(reservationLookupOf(list(entry('pay_1', 'Reserved')), 'pay_1')).toEqual({
      kind: 'held',
      reservationId: 'R-1',
    });
  });

  it("never takes another payment's reservation, should the carrier ignore the filter", () => {
    expect(reservationLookupOf(list(entry('pay_2', 'Reserved', 'R-2')), 'pay_1')).toEqual({ kind: 'none' });
  });

  it('holds nothing when the list is empty or its reservation is charged or released', () => {
    expect(reservationLookupOf(list(), 'pay_1')).toEqual({ kind: 'none' });
    expect(reservationLookupOf(list(entry('pay_1', 'Released')), 'pay_1')).toEqual({ kind: 'none' });
    expect(reservationLookupOf(list(entry('pay_1', 'Charged')), 'pay_1')).toEqual({ kind: 'none' });
  });

  it('says nothing for an answer it cannot read as a list', () => {
    expect(reservationLookupOf({}, 'pay_1')).toEqual({ kind: 'unknown' });
    expect(
      reservationLookupOf(
        { reservationTransactionList: { amountReservationTransaction: entry('pay_1', 'Reserved') } },
        'pay_1',
      ),
    ).toEqual({ kind: 'unknown' });
    expect(reservationLookupOf(list(entry('pay_1', 'Processing')), 'pay_1')).toEqual({ kind: 'unknown' });
  });
});
