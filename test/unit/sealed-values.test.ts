import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, deriveKeys, encrypt, sealedAt } from '../../src/services/keys.js';

const key = deriveKeys('00'.repeat(32)).giftEncryption;

/** How values were sealed before associated data was bound: `iv.tag.ciphertext`. */
function legacySeal(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

describe('sealed values (AES-256-GCM bound to their row)', () => {
  it('opens in the row it was sealed for', () => {
    const sealed = encrypt(key, 'ABCD-EFGH', sealedAt.giftCode('gc_1'));
    expect(sealed.startsWith('v2.')).toBe(true);
    expect(decrypt(key, sealed, sealedAt.giftCode('gc_1'))).toBe('ABCD-EFGH');
  });

  it("does not open when copied into another row (an attacker with database access swapping another's code in)", () => {
    const sealed = encrypt(key, 'ABCD-EFGH', sealedAt.giftCode('gc_1'));
    expect(() => decrypt(key, sealed, sealedAt.giftCode('gc_2'))).toThrow();
    expect(() => decrypt(key, sealed, sealedAt.notificationSecret('gc_1'))).toThrow();
  });

  it('refuses a cut authentication tag (GCM would otherwise accept a 4-byte tag)', () => {
    const [version, iv, tag = '', body] = encrypt(key, 'secret', 'x').split('.');
    const short = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => decrypt(key, [version, iv, short, body].join('.'), 'x')).toThrow();
  });

  it('refuses an altered ciphertext', () => {
    const [version, iv, tag, body = ''] = encrypt(key, 'secret', 'x').split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => decrypt(key, [version, iv, tag, flipped.toString('base64url')].join('.'), 'x')).toThrow();
  });

  it('still opens values sealed before the binding', () => {
    expect(decrypt(key, legacySeal('old code'), sealedAt.giftCode('gc_any'))).toBe('old code');
  });
});
