import type { RiskRules } from '../../../config/schema.js';
import type { PaymentRecord } from './payments.js';

export interface RiskRuleSetRecord {
  version: string;
  rules: RiskRules;
  created_by: string;
  created_at: Date;
}

/** How often a rule fired since a moment, by what it decided. */
export interface RuleHits {
  rule: string;
  review: number;
  deny: number;
  stepUp: number;
}

/** The cash-out defence's rules as the operator put them, and what they decided. */
export interface RiskStore {
  /** The rule set in force, or undefined when no operator ever put one (the configured rules hold). */
  currentRules(): Promise<RiskRuleSetRecord | undefined>;
  /** A new rule set in force from now on; the old ones stay as history. */
  putRules(rules: RiskRules, actor: string, now: Date): Promise<RiskRuleSetRecord>;
  /** Each rule's firings on payments created since `since`. */
  ruleHits(since: Date): Promise<RuleHits[]>;
  /** How many redemptions each redemption rule held since `since`. */
  redemptionRuleHits(since: Date): Promise<Map<string, number>>;
  /** Payments the rules denied, newest first. */
  recentDenials(limit: number): Promise<PaymentRecord[]>;
}
