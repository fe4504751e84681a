/**
 * How the simulated carriers read and write amounts. Deliberately the carrier's own code, not the
 * gateway's: a mistake in the gateway's money handling must show up as a disagreement with the
 * carrier in the end-to-end tests, not be mirrored by it.
 */

/** ISO 4217 minor-unit exponents of the currencies the simulated carriers bill in. */
const EXPONENTS: Readonly<Record<string, number>> = {
  KRW: 0,
  JPY: 0,
  USD: 2,
  EUR: 2,
  GBP: 2,
  BHD: 3,
  KWD: 3,
  JOD: 3,
};

/** A positive decimal amount off the wire ("1500", "12.30", 12.3) in minor units; undefined if not exact. */
export function parseAmount(value: unknown, currency: string): bigint | undefined {
  const exponent = EXPONENTS[currency];
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{1,15})(?:\.(?=\d)(\d*?)0*)?$/.exec(text);
  if (exponent === undefined || !match) return undefined;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  return minor > 0n ? minor : undefined;
}

/** Minor units as the decimal string a statement carries ("1500", "-12.30"). */
export function formatAmount(minor: bigint, currency: string): string {
  const exponent = EXPONENTS[currency] ?? 0;
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
