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
    // What a security review got through the first version of the rules.
    ['a number split by plus signs', 'Call 0800+123+4567'],
    ['a number split by colons', 'Support 010:1234:5678'],
    ['a number split by commas', '123,456,7890'],
    ['a domain hidden by an invisible mark', 'bit.\u034Fly/abc'],
    ['a domain hidden by a mark before the dot', 'evil\u034F.com'],
    ['a look-alike Cyrillic letter', 'fre\u0435 trial'],
    ['a look-alike Greek letter', 'FR\u0395E gift'],
    ['not billed', 'You will not be billed'],
    ["won't be charged", "won't be charged"],
    ['no cost', 'No cost to you'],
  ])('refuses %s', (_what, text) => expect(check(text)).toBeDefined());

  it('refuses a line break (the edge refuses control characters before folding spaces)', () => {
    expect(descriptionProblem('Voucher\nReply STOP')).toBeDefined();
  });

  it('folds full-width forms and runs of spaces', () => {
    expect(normaliseDescription('  Ｂｏｏｋ   voucher ')).toBe('Book voucher');
  });
});
