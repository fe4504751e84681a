import type { RiskRules } from '../../config/schema.js';
import type { PaymentRecord } from '../ports/store/payments.js';
import type { RiskRuleSetRecord, RiskStore, RuleHits } from '../ports/store/risk.js';
import type { Session } from './session.js';

export class RiskTables implements RiskStore {
  constructor(private readonly session: Session) {}

  async currentRules() {
    const { rows } = await this.session.q.query<RiskRuleSetRecord>(
      'SELECT version::text AS version, rules, created_by, created_at FROM risk_rule_sets ORDER BY version DESC LIMIT 1',
    );
    return rows[0];
  }

  async putRules(rules: RiskRules, actor: string, now: Date) {
    const { rows } = await this.session.q.query<RiskRuleSetRecord>(
      `INSERT INTO risk_rule_sets (rules, created_by, created_at) VALUES ($1, $2, $3)
       RETURNING version::text AS version, rules, created_by, created_at`,
      [JSON.stringify(rules), actor, now],
    );
    const row = rows[0];
    if (!row) throw new Error('risk_rule_sets: insert returned nothing');
    return row;
  }

  async ruleHits(since: Date): Promise<RuleHits[]> {
    const { rows } = await this.session.q.query<{ rule: string; review: number; deny: number; step_up: number }>(
      `SELECT reason->>'rule' AS rule,
              count(*) FILTER (WHERE p.risk_decision = 'review')::int AS review,
              count(*) FILTER (WHERE p.risk_decision = 'deny')::int AS deny,
              count(*) FILTER (WHERE p.risk_decision = 'step_up')::int AS step_up
         FROM payments p, jsonb_array_elements(p.risk_reasons) reason
        WHERE p.risk_decision IN ('review', 'deny', 'step_up') AND p.created_at >= $1
        GROUP BY 1 ORDER BY count(*) DESC, 1`,
      [since],
    );
    return rows.map((r) => ({ rule: r.rule, review: r.review, deny: r.deny, stepUp: r.step_up }));
  }

  async redemptionRuleHits(since: Date) {
    const { rows } = await this.session.q.query<{ rule: string; held: number }>(
      `SELECT reason->>'rule' AS rule, count(*)::int AS held
         FROM redemptions r, jsonb_array_elements(r.risk_reasons) reason
        WHERE r.risk_reasons IS NOT NULL AND r.created_at >= $1
        GROUP BY 1`,
      [since],
    );
    return new Map(rows.map((r) => [r.rule, r.held]));
  }

  async recentDenials(limit: number) {
    const { rows } = await this.session.q.query<PaymentRecord>(
      `SELECT * FROM payments WHERE risk_decision = 'deny' ORDER BY created_at DESC LIMIT $1`,
      [limit],
    );
    return rows;
  }
}
