import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { errors } from './errors.js';

/** CAMARA's PhoneNumber pattern: E.164 with a leading '+'. */
export const E164_PATTERN = /^\+[1-9][0-9]{4,14}$/;

/**
 * Checks a number that already matched CAMARA's pattern against the numbering plans: a
 * well-formed string that is no real phone number answers CAMARA's 404 IDENTIFIER_NOT_FOUND.
 */
export function requireRealPhoneNumber(phoneNumber: string): string {
  if (!E164_PATTERN.test(phoneNumber)) throw errors.invalidArgument('phoneNumber must be E.164 (+ and digits).');
  if (!isValidPhoneNumber(phoneNumber)) throw errors.identifierNotFound();
  return phoneNumber;
}

/** What logs show of a number: country and operator digits, then only the last four. */
export function maskPhoneNumber(phoneNumber: string): string {
  if (phoneNumber.length <= 8) return '****';
  return `${phoneNumber.slice(0, 5)}****${phoneNumber.slice(-4)}`;
}
