import { assessRedemption, type RiskAssessment } from '../../domain/risk.js';
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

/**
 * The redemption rules' decision, in the redemption's transaction: the redeemer's history is read
 * under locks on its account and address, so a collector's concurrent redemptions count each other.
 */
export async function assessRedemptionRisk(
  ctx: Context,
  tx: StoreTransaction,
  r: { merchantId: string; issuedAt: Date; buyerPhone: string | null; redeemer?: Redeemer },
  now: Date,
): Promise<RiskAssessment> {
  const rules = (await rulesInForce(ctx)).rules.redemptions.filter((rule) => rule.enabled);
  if (rules.length === 0 || r.buyerPhone === null) return ALLOWED;
  const buyer = r.buyerPhone;
  const history = await tx.redemptions.lockRedeemerHistory(
    { merchantId: r.merchantId, buyerPhone: buyer, accountId: r.redeemer?.accountId, ipAddress: r.redeemer?.ipAddress },
    new Date(now.getTime() - HISTORY_DAYS * 86_400_000),
  );
  const withThisBuyer = (buyers: string[]) => new Set([...buyers, buyer]).size;
  return assessRedemption(rules, {
    minutesSinceIssue: Math.floor((now.getTime() - r.issuedAt.getTime()) / 60_000),
    ...(r.redeemer && history.buyersFirstRedeemer !== undefined
      ? { buyersFirstRedeemer: history.buyersFirstRedeemer === r.redeemer.accountId }
      : {}),
    ...(r.redeemer ? { accountBuyers: withThisBuyer(history.accountBuyers) } : {}),
    ...(r.redeemer?.ipAddress ? { addressBuyers: withThisBuyer(history.addressBuyers) } : {}),
    flagged: history.flagged,
  });
}
