/** A phone user's consent to a merchant acting for their number (three-legged access). */
export interface GrantRecord {
  id: string;
  merchant_id: string;
  phone_number: string;
  scopes: string[];
  flow: 'ciba' | 'authorization_code';
  created_at: Date;
  revoked_at: Date | null;
  /** `phone-user`, or the operator who revoked it. */
  revoked_by: string | null;
}

export type AuthorizationStatus = 'pending' | 'approved' | 'denied' | 'issued';

/** One CIBA or authorization-code round: an SMS code sent, then approved (a grant) or not. */
export interface AuthorizationRequestRecord {
  id: string;
  merchant_id: string;
  flow: GrantRecord['flow'];
  phone_number: string;
  scopes: string[];
  status: AuthorizationStatus;
  otp_digest: Buffer;
  otp_failures: number;
  expires_at: Date;
  next_poll_at: Date | null;
  redirect_uri: string | null;
  state: string | null;
  code_challenge: string | null;
  code_expires_at: Date | null;
  grant_id: string | null;
  created_at: Date;
}

export type NewAuthorizationRequest = Omit<
  AuthorizationRequestRecord,
  'status' | 'otp_failures' | 'code_expires_at' | 'grant_id'
> & {
  page_digest: Buffer;
  auth_req_digest: Buffer | null;
};

export interface GrantStore {
  recordRequest(request: NewAuthorizationRequest): Promise<void>;
  findRequestByPage(pageDigest: Buffer): Promise<AuthorizationRequestRecord | undefined>;
  /** A CIBA request of that merchant by its auth_req_id's digest. */
  findRequestByAuthReqId(merchantId: string, digest: Buffer): Promise<AuthorizationRequestRecord | undefined>;
  /** An authorization-code request of that merchant by its code's digest. */
  findRequestByCode(merchantId: string, digest: Buffer): Promise<AuthorizationRequestRecord | undefined>;
  /** Counts a wrong code while the request is pending; at `maxAttempts` failures it is denied. The count after. */
  recordWrongCode(requestId: string, maxAttempts: number): Promise<number | undefined>;
  /** Denies a pending request (the phone user said no); false when it was no longer pending. */
  deny(requestId: string): Promise<boolean>;
  /**
   * Approves a pending request in time: the grant written, the request pointing at it (with the
   * authorization code's digest and expiry for that flow). Undefined when it was no longer pending.
   */
  approve(
    requestId: string,
    grant: Omit<GrantRecord, 'revoked_at' | 'revoked_by'>,
    code?: { digest: Buffer; expiresAt: Date },
  ): Promise<GrantRecord | undefined>;
  /** Moves a CIBA poll's earliest next time; false when the poll came before the current one. */
  pollAt(requestId: string, now: Date, next: Date): Promise<boolean>;
  /** Marks an approved request as having given its token; false when it already had (one token per approval). */
  markIssued(requestId: string): Promise<boolean>;
  findGrant(id: string): Promise<GrantRecord | undefined>;
  listGrants(filter: { phoneNumber?: string; merchantId?: string; limit: number }): Promise<GrantRecord[]>;
  /** Revokes a live grant and deletes its tokens; the grant as it is then, undefined when unknown. */
  revoke(id: string, by: string, at: Date): Promise<GrantRecord | undefined>;
  /** Revokes every live grant of a number (of one merchant, when given) and deletes their tokens; those revoked. */
  revokeAllOfPhone(phoneNumber: string, by: string, at: Date, merchantId?: string): Promise<GrantRecord[]>;
  /** Deletes requests past their expiry (and codes past theirs), how many. */
  deleteExpiredRequests(before: Date): Promise<number>;
}
