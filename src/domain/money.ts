import { errors } from './errors.js';

/** ISO 4217 minor-unit exponents of the currencies the gateway knows. */
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

/** Largest amount accepted in minor units: far above any micropayment, far below 2^53. */
const MAX_MINOR = 10n ** 12n;

export function exponentOf(currency: string): number | undefined {
  return EXPONENTS[currency];
}

/**
 * Converts CAMARA's decimal `amount` to integer minor units. An amount with more decimals than the
 * currency has is rejected, never rounded.
 */
export function toMinorUnits(amount: number, currency: string): bigint {
  const exponent = exponentOf(currency);
  if (exponent === undefined) throw errors.invalidArgument('Currency is unknown or not authorized.');
  if (!Number.isFinite(amount) || amount <= 0) throw errors.invalidArgument('amount must be a positive number.');
  // Number#toString gives the shortest decimal that round-trips, so "0.1" stays "0.1".
  const text = amount.toString();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw errors.invalidArgument('amount is out of range.');
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw errors.invalidArgument(`amount has more decimals than ${currency} allows (${exponent}).`);
  }
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > MAX_MINOR) throw errors.invalidArgument('amount is out of range.');
  return minor;
}

/** Minor units back to the decimal number CAMARA shows. Exact: MAX_MINOR keeps it below 2^53. */
export function toDecimal(minor: bigint, currency: string): number {
  return Number(toDecimalString(minor, currency));
}

/** Minor units as a decimal string with exactly the currency's decimals ("1500", "12.30"). */
export function toDecimalString(minor: bigint, currency: string): string {
  const exponent = exponentOf(currency) ?? 0;
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** How a person reads an amount in an SMS: "1,500 KRW", "12.30 USD". */
export function formatForPeople(minor: bigint, currency: string): string {
  const [whole = '0', fraction] = toDecimalString(minor, currency).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}${fraction ? `.${fraction}` : ''} ${currency}`;
}
