import { describe, expect, it } from 'vitest';
import {
  assessPayment,
  assessRedemption,
  carrierQuestions,
  rulesThatMayFire,
  type PaymentRule,
  type PaymentSignals,
  type RedemptionRule,
} from '../../src/domain/risk.js';

const quiet: PaymentSignals = {
  amountMinor: 10_000n,
  category: 'gift_certificate',
  lastHour: { count: 0, sumMinor: 0n },
  lastDay: { count: 0, sumMinor: 0n },
  everPurchased: true,
  failedCodesLastDay: 0,
  simSwappedWithin: new Map([[72, false]]),
  tenureBelow: new Map([[30, false]]),
};
const rule = (id: string, when: PaymentRule['when'], decision: PaymentRule['decision'] = 'review'): PaymentRule => ({
  id,
  description: id,
  enabled: true,
  when,
  decision,
});

describe('the risk rules', () => {
  it('allow when no rule fires', () => {
    expect(assessPayment([rule('burst', { hourlyPurchasesAtLeast: 3 })], quiet)).toEqual({
      decision: 'allow',
      reasons: [],
    });
  });

  it('count the payment being decided with the hour and the day', () => {
    const burst = [rule('burst', { hourlyPurchasesAtLeast: 3 }), rule('day', { dailySpendAtLeastMinor: 30_000 })];
    const second = { ...quiet, lastHour: { count: 1, sumMinor: 10_000n }, lastDay: { count: 1, sumMinor: 10_000n } };
    expect(assessPayment(burst, second).decision).toBe('allow');
    const third = { ...quiet, lastHour: { count: 2, sumMinor: 20_000n }, lastDay: { count: 2, sumMinor: 20_000n } };
    expect(assessPayment(burst, third)).toEqual({
      decision: 'review',
      reasons: [
        { rule: 'burst', decision: 'review', why: '3 purchases within an hour' },
        { rule: 'day', decision: 'review', why: '30000 spent within a day' },
      ],
    });
  });

  it('need every condition of a rule, and take the most severe decision of those that fire', () => {
    const rules = [
      rule('gift-swap', { categories: ['gift_certificate'], simSwappedWithinHours: 72 }, 'deny'),
      rule('first-large', { firstPurchase: true, amountAtLeastMinor: 10_000 }),
    ];
    const swappedNewcomer = { ...quiet, everPurchased: false, simSwappedWithin: new Map([[72, true]]) };
    const assessed = assessPayment(rules, swappedNewcomer);
    expect(assessed.decision).toBe('deny');
    expect(assessed.reasons.map((r) => r.rule)).toEqual(['gift-swap', 'first-large']);
    expect(assessed.reasons[0]?.why).toBe('category gift_certificate; SIM swapped within 72 h');
    // Not a gift certificate: the swap rule's category condition fails, so only the other fires.
    expect(assessPayment(rules, { ...swappedNewcomer, category: 'game' }).decision).toBe('review');
  });

  it('never fire on a carrier answer that is missing, nor when disabled', () => {
    const swap = rule('swap', { simSwappedWithinHours: 24 }, 'deny');
    expect(assessPayment([swap], { ...quiet, simSwappedWithin: new Map() }).decision).toBe('allow');
    const off = { ...rule('always', {}, 'deny'), enabled: false };
    expect(assessPayment([off], quiet).decision).toBe('allow');
    expect(assessPayment([rule('always', {}, 'deny')], quiet).reasons[0]?.why).toBe('always');
  });

  it('leave out the rules a payment cannot meet, and ask the carrier only what the others need', () => {
    const rules = [
      rule('gift-swap', { categories: ['gift_certificate'], simSwappedWithinHours: 72 }),
      rule('large-new-line', { amountAtLeastMinor: 50_000, lineTenureBelowDays: 30 }),
      { ...rule('off', { simSwappedWithinHours: 6 }), enabled: false },
    ];
    expect(rulesThatMayFire(rules, { category: 'game', amountMinor: 10_000n })).toEqual([]);
    const gift = rulesThatMayFire(rules, { category: 'gift_certificate', amountMinor: 50_000n });
    expect(gift.map((r) => r.id)).toEqual(['gift-swap', 'large-new-line']);
    expect(carrierQuestions(gift)).toEqual({ simSwapHours: [72], tenureDays: [30] });
    expect(carrierQuestions(rulesThatMayFire(rules, { category: 'game', amountMinor: 60_000n }))).toEqual({
      simSwapHours: [],
      tenureDays: [30],
    });
  });
});

describe('the redemption rules', () => {
  const held = (id: string, when: RedemptionRule['when']): RedemptionRule => ({
    id,
    description: id,
    enabled: true,
    when,
    decision: 'review',
  });
  const rules = [
    held('collector', { accountBuyersAtLeast: 3 }),
    held('quick-other', { issuedWithinMinutes: 30, notBuyersFirstRedeemer: true }),
  ];

  it('hold a collector, and a quick redemption by someone other than the buyer’s first redeemer', () => {
    const ordinary = { minutesSinceIssue: 5, isBuyersFirstRedeemer: true, accountBuyers: 1, flagged: false };
    expect(assessRedemption(rules, ordinary).decision).toBe('allow');
    expect(assessRedemption(rules, { ...ordinary, accountBuyers: 3 }).reasons).toEqual([
      { rule: 'collector', decision: 'review', why: 'account collected from 3 numbers' },
    ]);
    const stranger = { ...ordinary, isBuyersFirstRedeemer: false };
    expect(assessRedemption(rules, stranger).reasons.map((r) => r.rule)).toEqual(['quick-other']);
    expect(assessRedemption(rules, { ...stranger, minutesSinceIssue: 30 }).decision).toBe('allow');
  });

  it('hold a flagged redeemer, and read `false` conditions as "not"', () => {
    const flaggedRule = [held('flagged', { flaggedRedeemer: true })];
    expect(assessRedemption(flaggedRule, { minutesSinceIssue: 600, flagged: true }).reasons[0]?.why).toBe(
      'flagged redeemer',
    );
    expect(assessRedemption(flaggedRule, { minutesSinceIssue: 600, flagged: false }).decision).toBe('allow');
    const regulars = [rule('regular-customer', { firstPurchase: false, lineTenureBelowDays: 30 })];
    const young = { ...quiet, tenureBelow: new Map([[30, true]]) };
    expect(assessPayment(regulars, young).reasons[0]?.why).toBe('not the first purchase; line younger than 30 days');
    expect(assessPayment(regulars, { ...young, everPurchased: false }).decision).toBe('allow');
  });

  it('cannot tell anything of a redeemer the merchant did not name', () => {
    expect(assessRedemption(rules, { minutesSinceIssue: 1, flagged: false }).decision).toBe('allow');
  });
});
