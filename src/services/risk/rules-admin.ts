import type { RiskRules } from '../../../config/schema.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { announceNewRules, freshRules } from './rule-book.js';

/** How far back the hit counts beside each rule look. */
const HITS_DAYS = 30;

/** The rules in force, who put them, and how often each fired in the last 30 days. */
export async function riskRulesView(ctx: Context) {
  const since = new Date(ctx.clock.now().getTime() - HITS_DAYS * 86_400_000);
  const inForce = await freshRules(ctx);
  const [paymentHits, redemptionHits] = await Promise.all([
    ctx.store.risk.ruleHits(since),
    ctx.store.risk.redemptionRuleHits(since),
  ]);
  const hits = new Map(paymentHits.map((h) => [h.rule, h]));
  return {
    version: inForce.version,
    updatedBy: inForce.changedBy ?? null,
    updatedAt: inForce.changedAt?.toISOString() ?? null,
    hitsSince: since.toISOString(),
    payments: inForce.rules.payments.map((rule) => {
      const hit = hits.get(rule.id);
      return { ...rule, hits: { review: hit?.review ?? 0, deny: hit?.deny ?? 0, stepUp: hit?.stepUp ?? 0 } };
    }),
    redemptions: inForce.rules.redemptions.map((rule) => ({
      ...rule,
      hits: { review: redemptionHits.get(rule.id) ?? 0 },
    })),
  };
}

/** Replaces the rule set whole (already validated); every instance uses it from its next payment. */
export async function putRiskRules(ctx: Context, by: OperatorPrincipal, rules: RiskRules) {
  requireAdmin(by);
  const put = await ctx.store.risk.putRules(rules, actorOf(by), ctx.clock.now());
  await ctx.store.audit.recordAction({
    actor: actorOf(by),
    event: 'risk_rules_replaced',
    detail: {
      version: put.version,
      rules: [...rules.payments, ...rules.redemptions].map((r) => `${r.id}:${r.enabled ? r.decision : 'off'}`),
    },
  });
  await announceNewRules(ctx);
  return riskRulesView(ctx);
}
