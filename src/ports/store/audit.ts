/**
 * What the audit trail says of a change: who caused it and what happened. A change's own note is
 * written by the same statement as the change; the store adds the payment, its merchant and the
 * state the payment is in afterwards.
 */
export interface AuditNote {
  /** Who caused it: `merchant:<id>`, `operator:<id>`, `cli:<user>`, `job:<name>`, `carrier:<id>`, `phone-user`, `reconciliation`. */
  readonly actor: string;
  readonly event: string;
  /** The state the payment left. */
  readonly fromStatus?: string;
  /** The SMS as sent, with codes masked: the consent evidence. */
  readonly smsText?: string;
  readonly detail?: Record<string, unknown>;
}

/** A note that changes no payment's state (a refund's progress, a release, an operator's verdict). */
export type EventNote = Omit<AuditNote, 'fromStatus'>;

/** A note about a payment that did not change its state (an SMS that failed, an operator's verdict). */
export interface AuditEvent extends EventNote {
  readonly paymentId: string;
  readonly merchantId: string;
}

export interface AuditRecord {
  id: bigint;
  actor: string;
  event: string;
  from_status: string | null;
  to_status: string | null;
  sms_text: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
}

/** What an operator (or the CLI) did outside any payment: onboarding, a merchant's settings, an account. */
export interface AdministrativeAction {
  /** `operator:<id>` or `cli:<user>`. */
  readonly actor: string;
  readonly event: string;
  /** The merchant it concerns, if any. */
  readonly merchantId?: string;
  readonly detail?: Record<string, unknown>;
}

/** The append-only audit trail. */
export interface AuditStore {
  record(event: AuditEvent): Promise<void>;
  recordAction(action: AdministrativeAction): Promise<void>;
  /** Administrative actions, newest first; those about one merchant when given. */
  actions(limit: number, merchantId?: string): Promise<AuditRecord[]>;
  /** A payment's trail, oldest first. */
  trail(paymentId: string): Promise<AuditRecord[]>;
}
