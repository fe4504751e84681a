/**
 * What a merchant may write into the consent SMS and onto the phone bill (`description`). The SMS
 * goes out under the carrier's sender name, so a free text there is a smishing channel: a link, a
 * number to call back, or wording that the charge is not one. A description is a short product
 * name: letters of any script, digits, spaces and a few marks, no address of any kind.
 */
export const DESCRIPTION_MAX_LENGTH = 40;

const ALLOWED = /^[\p{L}\p{M}\p{N} .,'&()+#%:\-/]+$/u;
/** Something a phone would open: a scheme, www, a domain (`evil.example`, `bit.ly`), an e-mail address. */
const LINK = /:\/\/|www|[\p{L}\p{N}]\.[\p{L}]{2,}|@/iu;
/** Seven or more digits in a row, allowing the separators people write numbers with. */
const PHONE_NUMBER = /\p{Nd}(?:[\s().\-/]*\p{Nd}){6,}/u;
/** Wording that contradicts the charge the template states. */
const DENIES_CHARGE =
  /\b(?:free|not (?:be )?charged|no charge|refund(?:ed)?|cancel|verify|suspend(?:ed)?)\b|무료|환불|취소|미청구|정지/iu;

/** Why a description may not go into the SMS, or undefined when it may (after `normaliseDescription`). */
export function descriptionProblem(description: string): string | undefined {
  if (description.length === 0) return 'must not be empty';
  if (description.length > DESCRIPTION_MAX_LENGTH) return `must be at most ${DESCRIPTION_MAX_LENGTH} characters`;
  if (!ALLOWED.test(description)) return "may hold letters, digits, spaces and . , ' & ( ) + # % : - / only";
  if (LINK.test(description)) return 'must not contain a link, a domain or an e-mail address';
  if (PHONE_NUMBER.test(description)) return 'must not contain a phone number';
  if (DENIES_CHARGE.test(description)) return 'must name the product, not say anything about the charge';
  return undefined;
}

/** Full-width and compatibility forms folded (ｗｗｗ is www), runs of spaces made one, ends trimmed. */
export function normaliseDescription(description: string): string {
  return description.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}
