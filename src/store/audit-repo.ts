import type { CompanionWrite } from './companion-writes.js';
import type { Queryable } from './database.js';

export interface AuditEvent {
  paymentId?: string;
  merchantId?: string;
  /** Who caused it: `merchant:<id>`, `operator`, `job:<name>`, `carrier:<id>`, `phone-user`. */
  actor: string;
  event: string;
  fromStatus?: string;
  toStatus?: string;
  /** The SMS as sent, with secrets (codes) masked: the consent evidence. */
  smsText?: string;
  detail?: Record<string, unknown>;
}

export async function appendAudit(db: Queryable, e: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (payment_id, merchant_id, actor, event, from_status, to_status, sms_text, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.paymentId ?? null,
      e.merchantId ?? null,
      e.actor,
      e.event,
      e.fromStatus ?? null,
      e.toStatus ?? null,
      e.smsText ?? null,
      e.detail ? JSON.stringify(e.detail) : null,
    ],
  );
}

/** The audit row of a payment's change, written by the change's own statement; its to-status is the new state. */
export type ChangeAudit = Pick<AuditEvent, 'actor' | 'event' | 'fromStatus' | 'smsText' | 'detail'>;

export function auditOfChange(e: ChangeAudit): CompanionWrite {
  return (param) =>
    `INSERT INTO audit_events (payment_id, merchant_id, actor, event, from_status, to_status, sms_text, detail)
     SELECT u.id, u.merchant_id, ${param(e.actor)}, ${param(e.event)}, ${param(e.fromStatus ?? null)}, u.status, ${param(e.smsText ?? null)}, ${param(e.detail ? JSON.stringify(e.detail) : null)}::jsonb FROM u`;
}

export interface AuditRow {
  id: bigint;
  actor: string;
  event: string;
  from_status: string | null;
  to_status: string | null;
  sms_text: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
}

export async function auditTrail(db: Queryable, paymentId: string): Promise<AuditRow[]> {
  return (await db.query<AuditRow>('SELECT * FROM audit_events WHERE payment_id = $1 ORDER BY id', [paymentId])).rows;
}
