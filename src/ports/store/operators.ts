export type OperatorRole = 'viewer' | 'admin';

/** A person who runs the gateway; deleted accounts keep their row, so the audit trail can name them. */
export interface OperatorRecord {
  id: string;
  name: string;
  role: OperatorRole;
  created_by: string;
  created_at: Date;
  deleted_at: Date | null;
}

export interface NewOperator {
  id: string;
  name: string;
  role: OperatorRole;
  /** Keyed digest of the account's token; the token itself is never stored. */
  token_digest: Buffer;
  created_by: string;
}

/** Operator accounts and their dashboard sessions. */
export interface OperatorStore {
  insert(operator: NewOperator): Promise<OperatorRecord>;
  /** A live (not deleted) account. */
  find(id: string): Promise<OperatorRecord | undefined>;
  /** The live account whose token has this digest. */
  findByTokenDigest(digest: Buffer): Promise<OperatorRecord | undefined>;
  list(): Promise<OperatorRecord[]>;
  /** Deletes an account: its token stops working and its sessions end, in one statement. False when there was none. */
  remove(id: string, now: Date): Promise<boolean>;

  /**
   * Records the digest of the bootstrap admin's token (OPERATOR_TOKEN); when it differs from the
   * one recorded, the bootstrap admin's sessions end (the token was changed, perhaps leaked).
   * How many sessions ended.
   */
  adoptBootstrapToken(digest: Buffer): Promise<number>;

  openSession(digest: Buffer, operatorId: string, now: Date, expiresAt: Date): Promise<void>;
  /**
   * The account of a live session (not past its end, used since `idleSince`, account not deleted),
   * marking it used now; undefined otherwise.
   */
  useSession(digest: Buffer, now: Date, idleSince: Date): Promise<OperatorRecord | undefined>;
  closeSession(digest: Buffer): Promise<void>;
  deleteEndedSessions(now: Date, idleSince: Date): Promise<number>;
}
