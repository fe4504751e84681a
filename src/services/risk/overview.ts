import { toDecimal } from '../../domain/money.js';
import type { Context } from '../context.js';
import { reviewQueue } from './reviews.js';
import { riskRulesView } from './rules-admin.js';

/** How far back the page's tallies look. */
const WINDOW_DAYS = 30;

/**
 * What the dashboard's risk page shows at once: the review queue, the latest denials with the
 * rules that fired, the redeemers that collected from the most buying numbers, and the rules with
 * their hit counts.
 */
export async function riskOverview(ctx: Context) {
  const since = new Date(ctx.clock.now().getTime() - WINDOW_DAYS * 86_400_000);
  const [reviews, denials, redeemers, rules] = await Promise.all([
    reviewQueue(ctx),
    ctx.store.risk.recentDenials(50),
    ctx.store.redemptions.topRedeemers(since, 20),
    riskRulesView(ctx),
  ]);
  return {
    reviews,
    denials: denials.map((p) => ({
      paymentId: p.id,
      merchantId: p.merchant_id,
      phoneNumber: p.phone_number,
      amount: { amount: toDecimal(p.amount_minor, p.currency), currency: p.currency },
      at: p.created_at.toISOString(),
      rules: (p.risk_reasons ?? []).filter((r) => r.decision === 'deny').map((r) => r.rule),
    })),
    topRedeemers: redeemers,
    rules,
  };
}
