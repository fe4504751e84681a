import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../adapters/simulator/money.js';

describe("the simulated carrier's own reading of amounts", () => {
  it.each([
    ['1500', 'KRW', 1500n],
    [1500, 'KRW', 1500n],
    ['12.30', 'USD', 1230n],
    [12.3, 'USD', 1230n],
    ['1500.00', 'KRW', 1500n],
    ['1.005', 'BHD', 1005n],
  ])('reads %s %s as %s minor units', (wire, currency, minor) => {
    expect(parseAmount(wire, currency)).toBe(minor);
  });

  it.each([
    ['1.234', 'USD'],
    ['1500.5', 'KRW'],
    ['0', 'KRW'],
    ['-5', 'KRW'],
    ['1e3', 'KRW'],
    ['12', 'XXX'],
    [{ amount: 1 }, 'KRW'],
    [undefined, 'KRW'],
  ])('refuses %s %s rather than round it', (wire, currency) => {
    expect(parseAmount(wire, currency)).toBeUndefined();
  });

  it("writes signed amounts with the currency's decimals", () => {
    expect(formatAmount(1500n, 'KRW')).toBe('1500');
    expect(formatAmount(-1230n, 'USD')).toBe('-12.30');
    expect(formatAmount(5n, 'BHD')).toBe('0.005');
  });
});
