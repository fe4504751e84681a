import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/domain/errors.js';
import { formatForPeople, toDecimal, toDecimalString, toMinorUnits } from '../../src/domain/money.js';

describe('money in minor units', () => {
  it.each([
    [1500, 'KRW', 1500n],
    [12.3, 'USD', 1230n],
    [0.1, 'USD', 10n],
    [0.29, 'USD', 29n],
    [1.005, 'BHD', 1005n],
    [999999999, 'KRW', 999999999n],
  ])('converts %s %s exactly to %s minor units', (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
    expect(toDecimal(minor, currency)).toBe(amount);
  });

  it.each([
    [1500.5, 'KRW'],
    [1.234, 'USD'],
    [1.0001, 'BHD'],
    [-1, 'KRW'],
    [0, 'KRW'],
    [Number.NaN, 'KRW'],
    [1e21, 'KRW'],
    [10, 'XXX'],
  ])('rejects %s %s instead of rounding', (amount, currency) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(ApiError);
  });

  it('shows decimals as the currency has them', () => {
    expect(toDecimalString(1230n, 'USD')).toBe('12.30');
    expect(toDecimalString(5n, 'BHD')).toBe('0.005');
    expect(toDecimalString(-1500n, 'KRW')).toBe('-1500');
    expect(formatForPeople(1234567n, 'KRW')).toBe('1,234,567 KRW');
    expect(formatForPeople(123456n, 'USD')).toBe('1,234.56 USD');
  });
});
