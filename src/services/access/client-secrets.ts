import { createHmac, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Client secrets are 256 random bits, so no one can guess them and a slow hash buys nothing: they
 * are kept as an HMAC-SHA-256 under a key derived from the master key (`hmac-sha256$…`). Checking
 * one costs microseconds, which takes away the CPU lever a slow hash gave to anyone who can reach
 * the token endpoint. Secrets stored earlier as scrypt hashes still verify, slowly, and are
 * replaced by the keyed hash at their next use.
 */
const KEYED = 'hmac-sha256';

export function hashSecret(key: Buffer, secret: string): string {
  return `${KEYED}$${createHmac('sha256', key).update(secret).digest('base64url')}`;
}

/** Whether checking against this stored hash is the slow (scrypt) kind, to be rationed and replaced. */
export function isSlowHash(stored: string): boolean {
  return stored.startsWith('scrypt$');
}

export async function verifySecret(key: Buffer, secret: string, stored: string): Promise<boolean> {
  if (isSlowHash(stored)) return verifyScrypt(secret, stored);
  const expected = Buffer.from(stored);
  const actual = Buffer.from(hashSecret(key, secret));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** `scrypt$N$r$p$salt$hash`, as secrets were stored before the keyed hash. */
async function verifyScrypt(secret: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}
