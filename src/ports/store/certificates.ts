import type { NewRedemption } from './redemptions.js';
/** A gift certificate as stored: the code only as a keyed digest (look-up) and encrypted (to show it again). */
export interface CertificateRecord {
  id: string;
  payment_id: string;
  merchant_id: string;
  code_digest: Buffer;
  code_encrypted: string;
  face_minor: bigint;
  balance_minor: bigint;
  currency: string;
  status: 'active' | 'redeemed' | 'void' | 'expired';
  issued_at: Date;
  expires_at: Date;
  /** When the confirmation page showed the whole code (it does so once). */
  code_shown_on_page_at: Date | null;
}

export type NewCertificate = Omit<CertificateRecord, 'status' | 'balance_minor' | 'code_shown_on_page_at'>;

export interface CertificateStore {
  ofPayment(merchantId: string, paymentId: string): Promise<CertificateRecord[]>;
  /** Records that the confirmation page showed the code; true only for the first showing. */
  markShownOnPage(id: string, now: Date): Promise<boolean>;
  find(merchantId: string, id: string): Promise<CertificateRecord | undefined>;
  findByDigest(merchantId: string, digest: Buffer): Promise<CertificateRecord | undefined>;
  /**
   * Spends `amountMinor` of a certificate and records the redemption, atomically; undefined when
   * the balance is lower (the UPDATE checks it, so overspending is impossible even without a lock).
   * A certificate spent to nothing is `redeemed`.
   */
  redeem(id: string, amountMinor: bigint, redemption: NewRedemption, now: Date): Promise<CertificateRecord | undefined>;
  /** Gives a refused redemption's amount back (active again unless the certificate lapsed meanwhile). */
  giveBack(id: string, amountMinor: bigint, now: Date): Promise<void>;
  /** Marks active certificates past their validity expired; returns how many. */
  expireLapsed(now: Date): Promise<number>;
}

/** Locks, for a transaction: refunds and redemptions of one certificate queue behind each other. */
export interface LockingCertificateStore extends CertificateStore {
  lockOfPayment(paymentId: string): Promise<CertificateRecord | undefined>;
  lockByDigest(merchantId: string, digest: Buffer): Promise<CertificateRecord | undefined>;
}
