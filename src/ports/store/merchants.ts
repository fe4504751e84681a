export interface MerchantRecord {
  id: string;
  name: string;
  client_id: string;
  /** Keyed hash (or an older scrypt hash) of the client secret; the secret itself is never stored. */
  client_secret_hash: string;
  scopes: string[];
  one_step_payments: boolean;
  validation_mode: 'validate' | 'open';
  daily_cap_minor: bigint | null;
  notification_secret_encrypted: string | null;
  created_at: Date;
}

export type NewMerchant = Omit<MerchantRecord, 'created_at'>;

export interface MerchantStore {
  insert(merchant: NewMerchant): Promise<MerchantRecord>;
  find(id: string): Promise<MerchantRecord | undefined>;
  findByClientId(clientId: string): Promise<MerchantRecord | undefined>;
  /** The oldest merchant of that name. */
  findByName(name: string): Promise<MerchantRecord | undefined>;
  list(): Promise<MerchantRecord[]>;
  /** A new client secret hash; every token issued with the old secret is revoked with it. */
  replaceClientSecret(id: string, secretHash: string): Promise<void>;
  /** The same secret's hash in a better form, unless the secret was changed meanwhile. */
  upgradeSecretHash(id: string, from: string, to: string): Promise<void>;
}

/** A live access token with what the gateway needs of its merchant on every request. */
export interface TokenRecord {
  merchant_id: string;
  scopes: string[];
  expires_at: Date;
  merchant_name: string;
  one_step_payments: boolean;
  validation_mode: 'validate' | 'open';
  daily_cap_minor: bigint | null;
}

/** Access tokens, stored only as keyed hashes. */
export interface AccessTokenStore {
  insert(hash: Buffer, merchantId: string, scopes: string[], expiresAt: Date): Promise<void>;
  findLive(hash: Buffer, now: Date): Promise<TokenRecord | undefined>;
  deleteExpired(now: Date): Promise<number>;
}
