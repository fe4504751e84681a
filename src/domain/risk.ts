/**
 * The cash-out defence's rule engine (CONTRACTS §8): rules are data, a decision is a pure function
 * of the rules and of the signals gathered for one payment. Nothing here reads a clock, a table or
 * a carrier; the service gathers the signals and records what this decides.
 */

/** What a payment may come to: go on, wait for an operator, or be refused before any SMS or carrier call. */
export type RiskDecision = 'allow' | 'review' | 'deny';

/**
 * When a rule fires: every condition given must hold (a rule with none fires always). Counts and
 * sums of the hour and the day include the payment being decided, across all merchants.
 */
export interface PaymentConditions {
  readonly categories?: readonly string[];
  readonly amountAtLeastMinor?: number;
  readonly hourlyPurchasesAtLeast?: number;
  readonly hourlySpendAtLeastMinor?: number;
  readonly dailyPurchasesAtLeast?: number;
  readonly dailySpendAtLeastMinor?: number;
  /** The number has never bought anything through the gateway before. */
  readonly firstPurchase?: boolean;
  /** Wrong codes typed for the number's payments in the last 24 hours. */
  readonly failedCodesLastDayAtLeast?: number;
  /** The carrier says the SIM was swapped within this many hours. */
  readonly simSwappedWithinHours?: number;
  /** The carrier says the line is younger than this many days. */
  readonly lineTenureBelowDays?: number;
}

export interface PaymentRule {
  readonly id: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly when: PaymentConditions;
  readonly decision: Exclude<RiskDecision, 'allow'>;
}

/** A purchase count and sum over a window. */
export interface Spending {
  readonly count: number;
  readonly sumMinor: bigint;
}

/** What is known of one payment and its number when it is decided. */
export interface PaymentSignals {
  readonly amountMinor: bigint;
  readonly category: string;
  /** The number's earlier purchases (not counting this one). */
  readonly lastHour: Spending;
  readonly lastDay: Spending;
  readonly everPurchased: boolean;
  readonly failedCodesLastDay: number;
  /** The carrier's answers, by the hours or days asked; a question unasked or unanswered is absent. */
  readonly simSwappedWithin: ReadonlyMap<number, boolean>;
  readonly tenureBelow: ReadonlyMap<number, boolean>;
}

/** A rule that fired, and why, in words an operator reads. */
export interface RiskReason {
  readonly rule: string;
  readonly decision: Exclude<RiskDecision, 'allow'>;
  readonly why: string;
}

export interface RiskAssessment {
  readonly decision: RiskDecision;
  readonly reasons: readonly RiskReason[];
}

const SEVERITY: Readonly<Record<RiskDecision, number>> = { allow: 0, review: 1, deny: 2 };

/** The most severe decision of the enabled rules that fire, with every one that fired. */
export function assessPayment(rules: readonly PaymentRule[], signals: PaymentSignals): RiskAssessment {
  return assess(rules, (when) => matches(when, signals));
}

/**
 * When a redemption rule fires (all conditions given must hold). Redeemers are the merchant's own
 * accounts; counts look 30 days back and include the redemption being decided.
 */
export interface RedemptionConditions {
  /** The certificate was issued less than this many minutes ago. */
  readonly issuedWithinMinutes?: number;
  /** The redeemer is not the account that first redeemed a certificate bought by the same number. */
  readonly notBuyersFirstRedeemer?: boolean;
  /** The redeeming account has collected certificates bought by at least this many numbers. */
  readonly accountBuyersAtLeast?: number;
  /** The redeeming address has collected certificates bought by at least this many numbers. */
  readonly addressBuyersAtLeast?: number;
  /** An operator refused an earlier redemption of this account, address or certificate. */
  readonly flaggedRedeemer?: boolean;
}

export interface RedemptionRule {
  readonly id: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly when: RedemptionConditions;
  /** A redemption is held (its balance reserved) for an operator; it is never refused outright. */
  readonly decision: 'review';
}

/** What is known of a redemption when it is decided; the redeemer's fields only when the merchant named one. */
export interface RedemptionSignals {
  readonly minutesSinceIssue: number;
  /** Whether the redeemer is the number's first redeemer (undefined: no redeemer named, or none before). */
  readonly isBuyersFirstRedeemer?: boolean;
  readonly accountBuyers?: number;
  readonly addressBuyers?: number;
  readonly flagged: boolean;
}

export function assessRedemption(rules: readonly RedemptionRule[], s: RedemptionSignals): RiskAssessment {
  return assess(rules, (w) => {
    const verdicts = [
      check(w.issuedWithinMinutes, (n) => s.minutesSinceIssue < n && `redeemed ${s.minutesSinceIssue} min after issue`),
      check(
        w.notBuyersFirstRedeemer,
        (other) => other && s.isBuyersFirstRedeemer === false && "not the buyer's first redeemer",
      ),
      check(
        w.accountBuyersAtLeast,
        (n) => (s.accountBuyers ?? 0) >= n && `account collected from ${s.accountBuyers} numbers`,
      ),
      check(
        w.addressBuyersAtLeast,
        (n) => (s.addressBuyers ?? 0) >= n && `address collected from ${s.addressBuyers} numbers`,
      ),
      check(
        w.flaggedRedeemer,
        (flagged) => flagged === s.flagged && (flagged ? 'flagged redeemer' : 'redeemer not flagged'),
      ),
    ];
    return allHold(verdicts);
  });
}

function assess<W>(
  rules: ReadonlyArray<{ id: string; enabled: boolean; when: W; decision: Exclude<RiskDecision, 'allow'> }>,
  matchesRule: (when: W) => string[] | undefined,
): RiskAssessment {
  const reasons: RiskReason[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const why = matchesRule(rule.when);
    if (why) reasons.push({ rule: rule.id, decision: rule.decision, why: why.join('; ') || 'always' });
  }
  const decision = reasons.reduce<RiskDecision>(
    (worst, reason) => (SEVERITY[reason.decision] > SEVERITY[worst] ? reason.decision : worst),
    'allow',
  );
  return { decision, reasons };
}

/**
 * The enabled rules that could fire for a payment, as far as its category and amount tell: the
 * others need not be evaluated, nor their signals gathered (a game purchase never waits for a SIM
 * swap check, nor reads the number's history, for rules that only gift certificates meet).
 */
export function rulesThatMayFire(
  rules: readonly PaymentRule[],
  payment: { category: string; amountMinor: bigint },
): PaymentRule[] {
  return rules.filter(
    ({ enabled, when }) =>
      enabled &&
      (when.categories === undefined || when.categories.includes(payment.category)) &&
      (when.amountAtLeastMinor === undefined || payment.amountMinor >= BigInt(when.amountAtLeastMinor)),
  );
}

/** The carrier questions the rules ask (of rules that may fire: see rulesThatMayFire). */
export function carrierQuestions(rules: readonly PaymentRule[]): { simSwapHours: number[]; tenureDays: number[] } {
  const simSwapHours = new Set<number>();
  const tenureDays = new Set<number>();
  for (const { when } of rules) {
    if (when.simSwappedWithinHours !== undefined) simSwapHours.add(when.simSwappedWithinHours);
    if (when.lineTenureBelowDays !== undefined) tenureDays.add(when.lineTenureBelowDays);
  }
  return { simSwapHours: [...simSwapHours], tenureDays: [...tenureDays] };
}

/** The reasons every condition holds, or undefined when one does not. */
function matches(w: PaymentConditions, s: PaymentSignals): string[] | undefined {
  const hour = { count: s.lastHour.count + 1, sumMinor: s.lastHour.sumMinor + s.amountMinor };
  const day = { count: s.lastDay.count + 1, sumMinor: s.lastDay.sumMinor + s.amountMinor };
  const verdicts = [
    check(w.categories, (c) => c.includes(s.category) && `category ${s.category}`),
    check(w.amountAtLeastMinor, (n) => s.amountMinor >= BigInt(n) && `amount ${s.amountMinor} ≥ ${n}`),
    check(w.hourlyPurchasesAtLeast, (n) => hour.count >= n && `${hour.count} purchases within an hour`),
    check(w.hourlySpendAtLeastMinor, (n) => hour.sumMinor >= BigInt(n) && `${hour.sumMinor} spent within an hour`),
    check(w.dailyPurchasesAtLeast, (n) => day.count >= n && `${day.count} purchases within a day`),
    check(w.dailySpendAtLeastMinor, (n) => day.sumMinor >= BigInt(n) && `${day.sumMinor} spent within a day`),
    check(
      w.firstPurchase,
      (first) => first === !s.everPurchased && (first ? 'first purchase of the number' : 'not the first purchase'),
    ),
    check(
      w.failedCodesLastDayAtLeast,
      (n) => s.failedCodesLastDay >= n && `${s.failedCodesLastDay} wrong codes within a day`,
    ),
    check(w.simSwappedWithinHours, (h) => s.simSwappedWithin.get(h) === true && `SIM swapped within ${h} h`),
    check(w.lineTenureBelowDays, (d) => s.tenureBelow.get(d) === true && `line younger than ${d} days`),
  ];
  return allHold(verdicts);
}

/** The reasons of a rule's conditions when every one given holds, else undefined. */
function allHold(verdicts: ReadonlyArray<string | false | undefined>): string[] | undefined {
  return verdicts.includes(false) ? undefined : verdicts.filter((v): v is string => typeof v === 'string');
}

/** A condition's verdict: absent (undefined), failed (false), or held, with the reason. */
function check<T>(condition: T | undefined, test: (value: T) => string | false): string | false | undefined {
  return condition === undefined ? undefined : test(condition);
}
