import type { RiskReason } from '../../domain/risk.js';

export interface RedemptionRecord {
  id: string;
  certificate_id: string;
  merchant_id: string;
  amount_minor: bigint;
  /** The certificate's. */
  currency: string;
  /** `held`: the rules asked an operator; the amount is taken from the balance until they decide. */
  status: 'completed' | 'held' | 'refused';
  buyer_phone: string | null;
  redeemer_account: string | null;
  redeemer_address: string | null;
  risk_reasons: RiskReason[] | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
}

/** A redemption to record with the balance it takes (CertificateStore.redeem). */
export interface NewRedemption {
  id: string;
  merchantId: string;
  status: 'completed' | 'held';
  buyerPhone: string | null;
  redeemer?: { accountId: string; ipAddress?: string };
  riskReasons?: readonly RiskReason[];
}

/** What a redeemer did before, as the redemption rules read it (30 days back). */
export interface RedeemerHistory {
  /** The account that first redeemed a certificate the buyer's number bought at this merchant. */
  buyersFirstRedeemer?: string;
  /** Distinct buying numbers whose certificates the account and the address redeemed at this merchant. */
  accountBuyers: string[];
  addressBuyers: string[];
  /** The account, the address or the certificate was refused before. */
  flagged: boolean;
}

/** Redemptions as the cash-out defence sees them. */
export interface RedemptionStore {
  find(id: string): Promise<RedemptionRecord | undefined>;
  /** Held redemptions, oldest first. */
  held(limit: number): Promise<{ rows: RedemptionRecord[]; total: number }>;
  /** Redemptions by the redeemers most buying numbers fed in `since`, the largest first. */
  topRedeemers(
    since: Date,
    limit: number,
  ): Promise<Array<{ merchantId: string; accountId: string; buyers: number; redemptions: number }>>;
}

/** What only a transaction may do with redemptions. */
export interface LockingRedemptionStore extends RedemptionStore {
  /**
   * The redeemer's history, after locking the account and the address until commit, so that
   * concurrent redemptions by one collector are counted one after the other.
   */
  lockRedeemerHistory(
    r: { merchantId: string; certificateId: string; buyerPhone: string; accountId?: string; ipAddress?: string },
    since: Date,
  ): Promise<RedeemerHistory>;
  /** held → `outcome`, by an operator; undefined when it was not held (any more). */
  decide(id: string, outcome: 'completed' | 'refused', by: string, now: Date): Promise<RedemptionRecord | undefined>;
  /** Marks the redeemer's account and address as refused before (the `flaggedRedeemer` condition). */
  flag(
    r: Pick<RedemptionRecord, 'merchant_id' | 'redeemer_account' | 'redeemer_address'>,
    by: string,
    now: Date,
  ): Promise<void>;
}
