import { describe, expect, it } from 'vitest';
import { localTime, periodStart } from '../../src/domain/subscription-periods.js';

const KST = 'Asia/Seoul';

describe('subscription periods', () => {
  it("renew a subscription started on the 31st on the last day of shorter months, in the carrier's time zone", () => {
    // 31 January 2027, 10:00 in Seoul (01:00 UTC).
    const anchor = new Date('2027-01-31T01:00:00Z');
    const days = [0, 1, 2, 3, 4, 12, 13].map((n) => {
      const t = localTime(periodStart(anchor, 'P1M', n, KST), KST);
      return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${t.hour}:00`;
    });
    expect(days).toEqual([
      '2027-01-31 10:00',
      '2027-02-28 10:00',
      '2027-03-31 10:00',
      '2027-04-30 10:00',
      '2027-05-31 10:00',
      '2028-01-31 10:00',
      '2028-02-29 10:00',
    ]);
  });

  it("count months by the Seoul calendar, not UTC's: 1 March 08:00 KST is still February in UTC", () => {
    const anchor = new Date('2027-02-28T23:00:00Z'); // 1 March 2027, 08:00 KST
    expect(periodStart(anchor, 'P1M', 1, KST).toISOString()).toBe('2027-03-31T23:00:00.000Z'); // 1 April 08:00 KST
  });

  it('renew weekly seven days apart', () => {
    const anchor = new Date('2027-01-31T01:00:00Z');
    expect(periodStart(anchor, 'P1W', 3, KST).toISOString()).toBe('2027-02-21T01:00:00.000Z');
  });
});
