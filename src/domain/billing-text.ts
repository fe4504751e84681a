/**
 * What a merchant may write into the consent SMS and onto the phone bill (`description`). The SMS
 * goes out under the carrier's sender name, so a free text there is a smishing channel: a link, a
 * number to call back, or wording that the charge is not one. A description is a short product
 * name: letters of any script, digits, spaces and a few marks, no address of any kind.
 */
export const DESCRIPTION_MAX_LENGTH = 40;

const ALLOWED = /^[\p{L}\p{M}\p{N} .,'&()+#%:\-/]+$/u;
/** Invisible characters (joiners, variation selectors, U+034F …) that split words a filter reads. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
/** A combining mark belongs after a letter; anywhere else it only disguises. */
const STRAY_MARK = /(^|[^\p{L}\p{M}])\p{M}/u;
/** Something a phone would open: a scheme, www, a domain (`evil.example`, `bit.ly`), an e-mail address. */
const LINK = /:\/\/|www|[\p{L}\p{N}]\.[\p{L}]{2,}|@/iu;
/** Seven or more digits, however separated by the marks this text may hold. */
const PHONE_NUMBER = /\p{Nd}(?:[\s().\-/+:,#%'&]*\p{Nd}){6,}/u;
/** Wording that contradicts the charge the template states (a best effort: the template is the defence). */
const DENIES_CHARGE =
  /\b(?:free|gratis|no (?:charge|cost|fee)s?|(?:not|never|won'?t) (?:be )?(?:charged|billed)|refund(?:ed)?|cancel|verify|suspend(?:ed)?)\b|무료|환불|취소|미청구|정지/iu;
/** A word mixing Latin, Greek and Cyrillic letters is a look-alike (`frее` with a Cyrillic е). */
const SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Greek}/u, /\p{Script=Cyrillic}/u];

function mixesScripts(text: string): boolean {
  return (text.match(/\p{L}+/gu) ?? []).some((word) => SCRIPTS.filter((script) => script.test(word)).length > 1);
}

/** Why a description may not go into the SMS, or undefined when it may (after `normaliseDescription`). */
export function descriptionProblem(description: string): string | undefined {
  if (description.length === 0) return 'must not be empty';
  if (description.length > DESCRIPTION_MAX_LENGTH) return `must be at most ${DESCRIPTION_MAX_LENGTH} characters`;
  if (!ALLOWED.test(description) || INVISIBLE.test(description) || STRAY_MARK.test(description))
    return "may hold letters, digits, spaces and . , ' & ( ) + # % : - / only";
  if (mixesScripts(description)) return 'must not mix Latin, Greek and Cyrillic letters in a word';
  // Marks stripped, so that a mark inside `bit.ly` does not hide it.
  const skeleton = description.replace(/\p{M}/gu, '');
  if (LINK.test(skeleton)) return 'must not contain a link, a domain or an e-mail address';
  if (PHONE_NUMBER.test(skeleton)) return 'must not contain a phone number';
  if (DENIES_CHARGE.test(skeleton)) return 'must name the product, not say anything about the charge';
  return undefined;
}

/** Full-width and compatibility forms folded (ｗｗｗ is www), runs of spaces made one, ends trimmed. */
export function normaliseDescription(description: string): string {
  return description.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}
