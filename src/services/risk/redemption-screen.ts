import { assessRedemption, type RedemptionRule, type RiskAssessment } from '../../domain/risk.js';
import type { StoreTransaction } from '../../ports/store/store.js';
import type { Context } from '../context.js';
import { rulesInForce } from './rule-book.js';

/** How far back a redeemer's collecting is counted. */
const HISTORY_DAYS = 30;

const ALLOWED: RiskAssessment = { decision: 'allow', reasons: [] };

/** Who redeems, as the merchant names them (CONTRACTS §8): its own account id, and the client's address. */
export interface Redeemer {
  readonly accountId: string;
  readonly ipAddress?: string;
}

/** The enabled redemption rules, read before the redemption's transaction (never with its connection held). */
export async function redemptionRules(ctx: Context): Promise<RedemptionRule[]> {
  return (await rulesInForce(ctx)).rules.redemptions.filter((rule) => rule.enabled);
}

/**
 * The redemption rules' decision, in the redemption's transaction: the history is read under locks
 * on the redeemer's account and address and on the buyer's number, so concurrent redemptions by
 * one collector, or of one buyer's certificates, count each other.
 */
export async function assessRedemptionRisk(
  tx: StoreTransaction,
  rules: readonly RedemptionRule[],
  r: { merchantId: string; certificateId: string; issuedAt: Date; buyerPhone: string | null; redeemer?: Redeemer },
  now: Date,
): Promise<RiskAssessment> {
  if (rules.length === 0 || r.buyerPhone === null) return ALLOWED;
  const buyer = r.buyerPhone;
  const history = await tx.redemptions.lockRedeemerHistory(
    {
      merchantId: r.merchantId,
      certificateId: r.certificateId,
      buyerPhone: buyer,
      accountId: r.redeemer?.accountId,
      ipAddress: r.redeemer?.ipAddress,
    },
    new Date(now.getTime() - HISTORY_DAYS * 86_400_000),
  );
  const withThisBuyer = (buyers: string[]) => new Set([...buyers, buyer]).size;
  return assessRedemption(rules, {
    minutesSinceIssue: Math.floor((now.getTime() - r.issuedAt.getTime()) / 60_000),
    ...(r.redeemer && history.buyersFirstRedeemer !== undefined
      ? { isBuyersFirstRedeemer: history.buyersFirstRedeemer === r.redeemer.accountId }
      : {}),
    ...(r.redeemer ? { accountBuyers: withThisBuyer(history.accountBuyers) } : {}),
    ...(r.redeemer?.ipAddress ? { addressBuyers: withThisBuyer(history.addressBuyers) } : {}),
    flagged: history.flagged,
  });
}
