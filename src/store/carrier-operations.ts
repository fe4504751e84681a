import type { CarrierOutcome } from '../ports/carrier.js';
import type { EventNote } from '../ports/store/audit.js';
import type { LockingCarrierOperationStore, OperationRecord } from '../ports/store/carrier-operations.js';
import { recordAudit } from './audit.js';
import { alone, operationOutcome } from './companions.js';
import type { Session } from './session.js';

/** Which operations recovery resolves: charges of payments still charging, refunds still processing. */
const RECOVERABLE = {
  charge: `JOIN payments p ON p.id = o.payment_id
           WHERE o.operation IN ('charge_reservation', 'charge_amount') AND p.status = 'charging'`,
  refund: `JOIN refunds r ON r.id = o.refund_id WHERE o.operation = 'refund' AND r.status = 'processing'`,
} as const;

export class CarrierOperationsTable implements LockingCarrierOperationStore {
  constructor(private readonly session: Session) {}

  async ofPayment(paymentId: string) {
    const { rows } = await this.session.q.query<OperationRecord>(
      'SELECT * FROM carrier_operations WHERE payment_id = $1 ORDER BY created_at',
      [paymentId],
    );
    return rows;
  }

  async recordOutcome(id: string, outcome: CarrierOutcome<unknown>, tries: number, now: Date) {
    const { text, params } = alone(operationOutcome(id, outcome, tries, now, false));
    await this.session.q.query(text, params);
  }

  async recordReleaseOutcome(
    release: { id: string; paymentId: string; merchantId: string },
    outcome: CarrierOutcome<unknown>,
    tries: number,
    now: Date,
    audit: EventNote,
  ) {
    await this.session.atomically(async (q) => {
      const { text, params } = alone(operationOutcome(release.id, outcome, tries, now, false));
      await q.query(text, params);
      await recordAudit(q, { ...audit, paymentId: release.paymentId, merchantId: release.merchantId });
    });
  }

  async retryRecoveryIn(id: string, seconds: number) {
    await this.session.q.query(
      'UPDATE carrier_operations SET recovery_at = now() + make_interval(secs => $2) WHERE id = $1',
      [id, seconds],
    );
  }

  async claimToRecover(kind: keyof typeof RECOVERABLE, graceSeconds: number, leaseSeconds: number, limit: number) {
    const { rows } = await this.session.q.query<OperationRecord>(
      `UPDATE carrier_operations
          SET recovery_attempts = recovery_attempts + 1, recovery_at = now() + make_interval(secs => $2)
        WHERE id IN (
          SELECT o.id FROM carrier_operations o ${RECOVERABLE[kind]}
             AND (o.outcome = 'unknown' OR (o.outcome = 'pending' AND o.created_at < now() - make_interval(secs => $1)))
             AND (o.recovery_at IS NULL OR o.recovery_at <= now())
           ORDER BY o.created_at LIMIT $3 FOR UPDATE OF o SKIP LOCKED)
        RETURNING *`,
      [graceSeconds, leaseSeconds, limit],
    );
    return rows;
  }

  async renewRecoveryLeases(ids: string[], leaseSeconds: number) {
    await this.session.q.query(
      `UPDATE carrier_operations SET recovery_at = now() + make_interval(secs => $2)
        WHERE id = ANY($1) AND outcome IN ('pending', 'unknown') AND recovery_at > now()`,
      [ids, leaseSeconds],
    );
  }

  async claimReleasesToRetry(now: Date, createdBefore: Date, leaseUntil: Date, limit: number) {
    const { rows } = await this.session.q.query<OperationRecord>(
      `UPDATE carrier_operations SET recovery_attempts = recovery_attempts + 1, recovery_at = $3
        WHERE id IN (
          SELECT id FROM carrier_operations
           WHERE operation = 'release' AND outcome IN ('pending', 'not_executed', 'unknown') AND recovery_attempts < 10
             AND created_at < $2 AND (recovery_at IS NULL OR recovery_at <= $1)
           ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [now, createdBefore, leaseUntil, limit],
    );
    return rows;
  }
}
