/** A phone user's standing consent to a merchant's charges, as stored. */
export interface ConsentRecord {
  id: string;
  merchant_id: string;
  phone_number: string;
  carrier_id: string;
  description: string;
  currency: string;
  max_per_charge_minor: bigint;
  max_per_month_minor: bigint | null;
  expires_at: Date | null;
  status: 'pending_validation' | 'active' | 'revoked' | 'denied';
  authorization_id: string;
  otp_digest: Buffer | null;
  otp_failures: number;
  code_deadline_at: Date | null;
  sink: string | null;
  sink_credential_encrypted: string | null;
  created_at: Date;
  activated_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export type NewConsent = Omit<ConsentRecord, 'status' | 'otp_failures' | 'activated_at' | 'revoked_at' | 'revoked_by'>;

export interface ConsentStore {
  insert(consent: NewConsent): Promise<ConsentRecord>;
  find(id: string): Promise<ConsentRecord | undefined>;
  list(filter: { merchantId?: string; phoneNumber?: string; limit: number }): Promise<ConsentRecord[]>;
  /** Ends the merchant's consent in force for the number (`revoked` by `replaced:<the new one>`). */
  endActive(merchantId: string, phoneNumber: string, replacedBy: string, now: Date): Promise<void>;
  /**
   * pending_validation → active while the code checked is still the one stored and in time. At
   * most one consent of a merchant and number is active (a unique index): end the old one first,
   * in the same transaction.
   */
  activate(id: string, whileCode: Buffer, now: Date): Promise<ConsentRecord | undefined>;
  /** Counts a wrong code while pending; at `maxAttempts` failures the consent is denied. The count after. */
  recordWrongCode(id: string, maxAttempts: number): Promise<number | undefined>;
  /** A pending consent whose code lapsed ends denied. */
  deny(id: string): Promise<ConsentRecord | undefined>;
  /** Ends a pending or active consent; the consent as it is then (already ended: as it was). */
  revoke(id: string, by: string, at: Date): Promise<ConsentRecord | undefined>;
  /** Ends every pending or active consent of a number (of one merchant, when given); those ended. */
  revokeAllOfPhone(phoneNumber: string, by: string, at: Date, merchantId?: string): Promise<ConsentRecord[]>;
  /** The merchant's consent in force for the number, if any (active and not past its expiry). */
  activeFor(merchantId: string, phoneNumber: string, now: Date): Promise<ConsentRecord | undefined>;
  /** What payments under the consent commit since `since` (the same states as the spending limits count), but `excludePaymentId`. */
  chargedSince(consentId: string, since: Date, excludePaymentId?: string): Promise<bigint>;
}
