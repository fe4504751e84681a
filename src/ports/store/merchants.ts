import type { MerchantCategory } from '../../../config/schema.js';
export interface MerchantRecord {
  id: string;
  name: string;
  client_id: string;
  /** Keyed hash (or an older scrypt hash) of the client secret; the secret itself is never stored. */
  client_secret_hash: string;
  scopes: string[];
  one_step_payments: boolean;
  validation_mode: 'validate' | 'open';
  /** CAMARA's asynchronous behaviour: `processing` at once, the outcome notified. */
  completion_mode: 'sync' | 'async';
  daily_cap_minor: bigint | null;
  notification_secret_encrypted: string | null;
  /** Set while the merchant is stopped: no tokens work, none are issued. */
  disabled_at: Date | null;
  /** The secret's hash before the last rotation, which works until `previous_secret_valid_until`. */
  previous_secret_hash: string | null;
  previous_secret_valid_until: Date | null;
  /** The merchant's own limits; null is the configured default. */
  requests_per_second: number | null;
  reads_per_second: number | null;
  writes_per_second: number | null;
  codes_per_minute: number | null;
  max_payment_minor: bigint | null;
  /** Tokens of an older generation are dead: revoking, disabling or a leaked secret's rotation starts a new one. */
  token_generation: number;
  /** Where the authorization-code flow may send a phone user back (exact match). */
  redirect_uris: string[];
  /** What it sells (CONTRACTS §8): a category's purchases share a monthly cap per number. */
  category: MerchantCategory;
  created_at: Date;
}

export type NewMerchant = Omit<
  MerchantRecord,
  | 'created_at'
  | 'disabled_at'
  | 'previous_secret_hash'
  | 'previous_secret_valid_until'
  | 'completion_mode'
  | 'requests_per_second'
  | 'reads_per_second'
  | 'writes_per_second'
  | 'codes_per_minute'
  | 'max_payment_minor'
  | 'token_generation'
  | 'redirect_uris'
  | 'category'
> & { category?: MerchantCategory };

/** What an operator may change of a merchant; a missing field stays, null removes a limit. */
export interface MerchantChanges {
  name?: string;
  scopes?: string[];
  one_step_payments?: boolean;
  validation_mode?: 'validate' | 'open';
  completion_mode?: 'sync' | 'async';
  daily_cap_minor?: bigint | null;
  requests_per_second?: number | null;
  reads_per_second?: number | null;
  writes_per_second?: number | null;
  codes_per_minute?: number | null;
  max_payment_minor?: bigint | null;
  redirect_uris?: string[];
  category?: MerchantCategory;
}

export interface MerchantStore {
  insert(merchant: NewMerchant): Promise<MerchantRecord>;
  find(id: string): Promise<MerchantRecord | undefined>;
  findByClientId(clientId: string): Promise<MerchantRecord | undefined>;
  /** The oldest merchant of that name. */
  findByName(name: string): Promise<MerchantRecord | undefined>;
  list(): Promise<MerchantRecord[]>;
  /** A new client secret hash; the current one keeps working until `previousValidUntil`. */
  rotateClientSecret(id: string, secretHash: string, previousValidUntil: Date): Promise<MerchantRecord | undefined>;
  update(id: string, changes: MerchantChanges): Promise<MerchantRecord | undefined>;
  /** Stops a merchant (ending its tokens: a new generation), or lets it start again (null). */
  setDisabled(id: string, disabledAt: Date | null): Promise<MerchantRecord | undefined>;
  /** The same secret's hash in a better form, unless the secret was changed meanwhile. */
  upgradeSecretHash(id: string, from: string, to: string): Promise<void>;
}

/** A live access token with what the gateway needs of its merchant on every request. */
export interface TokenRecord {
  merchant_id: string;
  /** The token's scopes that the merchant still has. */
  scopes: string[];
  expires_at: Date;
  merchant_name: string;
  one_step_payments: boolean;
  validation_mode: 'validate' | 'open';
  completion_mode: 'sync' | 'async';
  category: MerchantCategory;
  daily_cap_minor: bigint | null;
  requests_per_second: number | null;
  reads_per_second: number | null;
  writes_per_second: number | null;
  codes_per_minute: number | null;
  max_payment_minor: bigint | null;
  /** A three-legged token: the phone number its grant identifies, and the grant. */
  phone_number: string | null;
  grant_id: string | null;
}

/** A token to issue, and what must still hold of its merchant when it is written. */
export interface NewToken {
  hash: Buffer;
  merchantId: string;
  scopes: string[];
  expiresAt: Date;
  /** The merchant's token generation when its secret was checked. */
  generation: number;
  /** The stored secret hash the request's secret matched: still current, or the previous one in its grace. */
  secretHash: string;
  now: Date;
  /** A three-legged token's grant, which must still be live when the token is written. */
  grantId?: string;
}

/** Access tokens, stored only as keyed hashes. */
export interface AccessTokenStore {
  /**
   * Writes the token only if, at that moment, the merchant is enabled, still in the same token
   * generation, and the secret checked is still valid; false otherwise (an operator changed it
   * meanwhile).
   */
  insertIfStillValid(token: NewToken): Promise<boolean>;
  /** A token not expired, of a merchant not disabled, and (three-legged) of a grant not revoked. */
  findLive(hash: Buffer, now: Date): Promise<TokenRecord | undefined>;
  /** Ends every token of a merchant (a new generation, and the rows deleted); how many there were. */
  revokeAll(merchantId: string): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
}
