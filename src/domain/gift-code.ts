import { randomBytes } from 'node:crypto';

/** Crockford's base32 alphabet; the check symbols extend it to 37 for the mod-37 check character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;
const BODY_LENGTH = 16; // 16 × 5 bits = 80 bits of entropy

/** A new gift-certificate code, grouped for people: `7K2M-9QXD-4HTA-PV3E-R`. */
export function newGiftCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let body = '';
  for (let i = BODY_LENGTH - 1; i >= 0; i--) body += ALPHABET.charAt(Number((bits >> BigInt(i * 5)) & 31n));
  return formatGiftCode(body + checkCharacter(body));
}

/**
 * Normalises what a person typed (any case, dashes or spaces, O for 0, I/L for 1) to the 17
 * canonical characters, or undefined when it cannot be a code (wrong length, bad check character).
 */
export function normaliseGiftCode(input: string): string | undefined {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (cleaned.length !== BODY_LENGTH + 1) return undefined;
  const body = cleaned.slice(0, BODY_LENGTH);
  if (!Array.from(body).every((c) => ALPHABET.includes(c))) return undefined;
  return cleaned.slice(BODY_LENGTH) === checkCharacter(body) ? cleaned : undefined;
}

export function formatGiftCode(canonical: string): string {
  return canonical.match(/.{1,4}/g)?.join('-') ?? canonical;
}

/** Crockford's check symbol: the body's value modulo 37. Catches every single-character typo. */
function checkCharacter(body: string): string {
  let remainder = 0;
  for (const c of body) remainder = (remainder * 32 + ALPHABET.indexOf(c)) % 37;
  return CHECK_ALPHABET[remainder] ?? '0';
}
