import { describe, expect, it } from 'vitest';
import { descriptionProblem, normaliseDescription } from '../../src/domain/billing-text.js';

const check = (text: string) => descriptionProblem(normaliseDescription(text));

describe('what a merchant may put into the consent SMS', () => {
  it.each([
    'Book voucher',
    'FIFA EA Sports 24',
    '멜론 이용권 30일',
    "Kid's pack (2 + 1)",
    '50% off pass',
    'Part 2: Return',
  ])('takes a product name: %s', (text) => expect(check(text)).toBeUndefined());

  it.each([
    ['a link', 'Claim at https://evil.example/x'],
    ['a bare domain', 'see bit.ly/abc'],
    ['a full-width domain', 'ｅｖｉｌ．ｃｏｍ'],
    ['www', 'www evil'],
    ['an e-mail address', 'help@evil'],
    ['a phone number', 'Call 010-1234-5678'],
    ['a phone number with spaces', 'Call +82 2 1234 5678'],
    ['a phone number in other digits', 'Call ٠١٠١٢٣٤٥٦٧٨'],
    ['a claim that nothing is charged', 'Test, you will not be charged'],
    ['a free claim in Korean', '무료 체험'],
    ['markup', '<b>Voucher</b>'],
    ['too long', 'x'.repeat(41)],
  ])('refuses %s', (_what, text) => expect(check(text)).toBeDefined());

  it('refuses a line break (the edge refuses control characters before folding spaces)', () => {
    expect(descriptionProblem('Voucher\nReply STOP')).toBeDefined();
  });

  it('folds full-width forms and runs of spaces', () => {
    expect(normaliseDescription('  Ｂｏｏｋ   voucher ')).toBe('Book voucher');
  });
});
