import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/domain/errors.js';
import { formatGiftCode, newGiftCode, normaliseGiftCode } from '../../src/domain/gift-code.js';
import { newOtpCode, otpDigest, secretsEqual as digestsEqual } from '../../src/domain/otp.js';
import { maskPhoneNumber, requireRealPhoneNumber } from '../../src/domain/phone.js';
import { redact } from '../../src/domain/sms-texts.js';

describe('phone numbers', () => {
  it('accepts a real Korean mobile number and masks it for logs', () => {
    expect(requireRealPhoneNumber('+821012345678')).toBe('+821012345678');
    expect(maskPhoneNumber('+821012345678')).toBe('+8210****5678');
  });
  it('tells a malformed number (400) from a well-formed one that does not exist (404)', () => {
    const status = (n: string) => {
      try {
        requireRealPhoneNumber(n);
        return 200;
      } catch (e) {
        return (e as ApiError).status;
      }
    };
    expect(status('01012345678')).toBe(400);
    expect(status('+0123456')).toBe(400);
    expect(status('+99912345678')).toBe(404);
    expect(status('+8210123')).toBe(404);
  });
});

describe('one-time codes', () => {
  it('are six digits and bound to payment, amount and send number', () => {
    const key = Buffer.alloc(32, 7);
    const code = newOtpCode();
    expect(code).toMatch(/^\d{6}$/);
    const digest = otpDigest(key, 'pay_1', 1500n, 'KRW', 1, code);
    expect(digestsEqual(digest, otpDigest(key, 'pay_1', 1500n, 'KRW', 1, code))).toBe(true);
    expect(digestsEqual(digest, otpDigest(key, 'pay_2', 1500n, 'KRW', 1, code))).toBe(false);
    expect(digestsEqual(digest, otpDigest(key, 'pay_1', 1501n, 'KRW', 1, code))).toBe(false);
    expect(digestsEqual(digest, otpDigest(key, 'pay_1', 1500n, 'KRW', 2, code))).toBe(false);
  });
  it('never appear in redacted texts', () => {
    expect(redact('Code: 123456. Valid', '123456')).toBe('Code: ******. Valid');
  });
});

describe('gift-certificate codes', () => {
  it('have 16 Crockford characters and a check character, in groups of four', () => {
    const codes = new Set(Array.from({ length: 200 }, newGiftCode));
    expect(codes.size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z*~$=U]$/);
      expect(normaliseGiftCode(code)).toBe(code.replace(/-/g, ''));
    }
  });
  it('are read case-insensitively, without dashes, with O for 0 and I or L for 1', () => {
    // A code with a 0 and two 1s, so each look-alike (O, I, L) is typed at least once.
    let code = newGiftCode();
    while (!/0/.test(code) || (code.match(/1/g) ?? []).length < 2) code = newGiftCode();
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace('1', 'i').replace(/1/g, 'l');
    expect(typed).toMatch(/o/);
    expect(typed).toMatch(/i.*l|l.*i/);
    expect(normaliseGiftCode(typed)).toBe(code.replace(/-/g, ''));
  });
  it('reject every single-character typo through the check character', () => {
    const canonical = newGiftCode().replace(/-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < 16; i++) {
      for (const c of alphabet) {
        if (c === canonical[i]) continue;
        const typo = canonical.slice(0, i) + c + canonical.slice(i + 1);
        expect(normaliseGiftCode(formatGiftCode(typo))).toBeUndefined();
      }
    }
  });
});
