import type { CarrierOutcome } from '../ports/carrier.js';
import type { AuditNote } from '../ports/store/audit.js';
import type { NewCertificate } from '../ports/store/certificates.js';
import type { OperationKind } from '../ports/store/carrier-operations.js';

/**
 * Writes that ride in the statement of a payment's change (insert or state change), as CTEs beside
 * `u`, the changed row; `u` is empty when the change did not happen, so a write that selects from
 * it happens only with the change. One statement is one round trip and commits as one: a state
 * change, its audit row, a charge's intent or a certificate can never be found apart.
 *
 * A companion gets `param`, which adds a value and returns its placeholder (`$7`).
 */
export type CompanionWrite = (param: (value: unknown) => string) => string;

/** `WITH u AS (<change>), c1 AS (<companion>), … SELECT * FROM u`, with the companions' values appended. */
export function withCompanions(change: string, params: unknown[], companions: CompanionWrite[]): string {
  if (companions.length === 0) return change;
  const param = (value: unknown) => `$${params.push(value)}`;
  const ctes = companions.map((write, i) => `c${i + 1} AS (${write(param)})`);
  return `WITH u AS (${change}), ${ctes.join(', ')} SELECT * FROM u`;
}

/** The audit row of the change: its to-status is the payment's new state. */
export function auditRow(note: AuditNote): CompanionWrite {
  return (param) =>
    `INSERT INTO audit_events (payment_id, merchant_id, actor, event, from_status, to_status, sms_text, detail)
     SELECT u.id, u.merchant_id, ${param(note.actor)}, ${param(note.event)},
            ${param(note.fromStatus ?? null)}, u.status,
            ${param(note.smsText ?? null)}, ${param(note.detail ? JSON.stringify(note.detail) : null)}::jsonb FROM u`;
}

/** The intent of a carrier operation on the changed payment, for its whole amount. */
export function operationIntent(id: string, operation: OperationKind): CompanionWrite {
  return (param) =>
    `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency)
     SELECT ${param(id)}, u.id, u.carrier_id, ${param(operation)}, u.amount_minor, u.currency FROM u`;
}

/**
 * The release of the changed payment's reservation, if it holds one, or if the carrier may hold
 * one whose answer never came (`unanswered`: released by its reference, jobs permitting).
 */
export function releaseIntent(id: string, unanswered: boolean): CompanionWrite {
  return (param) =>
    `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency)
     SELECT ${param(id)}, u.id, u.carrier_id, 'release', u.amount_minor, u.currency
       FROM u WHERE u.reservation_id IS NOT NULL OR ${param(unanswered)}`;
}

/**
 * The carrier's answer to an operation. A settled outcome (succeeded, declined) is never
 * overwritten. As a companion (`withChange`), only if the change happens.
 */
export function operationOutcome(
  id: string,
  outcome: CarrierOutcome<unknown>,
  tries: number,
  now: Date,
  withChange = true,
): CompanionWrite {
  const detail =
    outcome.kind === 'declined'
      ? `${outcome.carrierCode} ${outcome.reason}`
      : outcome.kind === 'succeeded'
        ? null
        : outcome.detail;
  const onlyWithChange = withChange ? ' AND EXISTS (SELECT FROM u)' : '';
  return (param) =>
    `UPDATE carrier_operations
        SET outcome = ${param(outcome.kind)}, detail = ${param(detail)}, tries = tries + ${param(tries)},
            completed_at = ${param(now)}
      WHERE id = ${param(id)} AND outcome NOT IN ('succeeded', 'declined')${onlyWithChange}`;
}

/** The gift certificate of the payment the change makes succeed. */
export function certificate(c: NewCertificate): CompanionWrite {
  return (param) => {
    const face = param(c.face_minor);
    return `INSERT INTO gift_certificates (id, payment_id, merchant_id, code_digest, code_encrypted, face_minor,
                                   balance_minor, currency, status, issued_at, expires_at)
     SELECT ${param(c.id)}, u.id, u.merchant_id, ${param(c.code_digest)}, ${param(c.code_encrypted)}, ${face}, ${face},
            ${param(c.currency)}, 'active', ${param(c.issued_at)}, ${param(c.expires_at)} FROM u`;
  };
}

/** A companion write run as a statement of its own (the same SQL, outside a payment's change). */
export function alone(write: CompanionWrite): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const text = write((value) => `$${params.push(value)}`);
  return { text, params };
}
