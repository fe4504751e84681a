import type { LockingNotificationStore, PendingNotification } from '../ports/store/notifications.js';
import type { Session } from './session.js';

export class NotificationOutbox implements LockingNotificationStore {
  constructor(private readonly session: Session) {}

  async claimDue(leaseSeconds: number, limit: number, perMerchant: number, inFlight: ReadonlyMap<string, number>) {
    const { rows } = await this.session.q.query<PendingNotification>(
      // Merchant by merchant (a skip scan over the pending index: the cost grows with the number of
      // merchants waiting, not with the length of any one's backlog), each one's due rows oldest
      // first, no more than it may still have in flight; a payment's later events wait for its first.
      `WITH RECURSIVE waiting AS (
         (SELECT merchant_id FROM notification_outbox WHERE status = 'pending' ORDER BY merchant_id LIMIT 1)
         UNION ALL
         SELECT (SELECT o.merchant_id FROM notification_outbox o
                  WHERE o.status = 'pending' AND o.merchant_id > w.merchant_id ORDER BY o.merchant_id LIMIT 1)
           FROM waiting w WHERE w.merchant_id IS NOT NULL),
       busy AS (SELECT * FROM unnest($3::text[], $4::int[]) AS b(merchant_id, taken)),
       candidates AS (
         SELECT c.id FROM waiting w
           LEFT JOIN busy b ON b.merchant_id = w.merchant_id
          CROSS JOIN LATERAL (
            SELECT o.id FROM notification_outbox o
             WHERE o.merchant_id = w.merchant_id AND o.status = 'pending' AND o.next_at <= now()
               AND NOT EXISTS (SELECT 1 FROM notification_outbox e
                                WHERE (e.payment_id = o.payment_id OR e.consent_id = o.consent_id
                                       OR e.subscription_id = o.subscription_id)
                                  AND e.id < o.id AND e.status = 'pending')
             ORDER BY o.next_at LIMIT greatest($5 - coalesce(b.taken, 0), 0)) c
          WHERE w.merchant_id IS NOT NULL),
       due AS (
         SELECT o.id FROM notification_outbox o WHERE o.id = ANY (ARRAY(SELECT id FROM candidates))
          ORDER BY o.id LIMIT $2 FOR UPDATE OF o SKIP LOCKED),
       claimed AS (
         UPDATE notification_outbox o SET attempts = attempts + 1, next_at = now() + make_interval(secs => $1)
           FROM due WHERE o.id = due.id RETURNING o.*)
       SELECT c.*, COALESCE(r.sink_credential_encrypted, p.sink_credential_encrypted, cs.sink_credential_encrypted,
                            s.sink_credential_encrypted) AS sink_credential_encrypted,
              m.notification_secret_encrypted
         FROM claimed c JOIN merchants m ON m.id = c.merchant_id
         LEFT JOIN payments p ON p.id = c.payment_id AND c.refund_id IS NULL
         LEFT JOIN refunds r ON r.id = c.refund_id
         LEFT JOIN consents cs ON cs.id = c.consent_id
         LEFT JOIN subscriptions s ON s.id = c.subscription_id
        ORDER BY c.id`,
      [leaseSeconds, limit, [...inFlight.keys()], [...inFlight.values()], perMerchant],
    );
    return rows;
  }

  async giveUpStale(before: Date, limit: number) {
    const { rowCount } = await this.session.q.query(
      `UPDATE notification_outbox SET status = 'failed', last_error = coalesce(last_error, 'not delivered in time')
        WHERE id IN (SELECT id FROM notification_outbox WHERE status = 'pending' AND created_at < $1
                      ORDER BY created_at LIMIT $2)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }

  async pruneFinished(before: Date, limit: number) {
    const { rowCount } = await this.session.q.query(
      `DELETE FROM notification_outbox WHERE id IN (
         SELECT id FROM notification_outbox WHERE status <> 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }

  async markDelivered(id: bigint) {
    await this.session.q.query(
      `UPDATE notification_outbox SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = $1`,
      [id],
    );
  }

  async markFailedTry(id: bigint, error: string, retryInSeconds: number, giveUp: boolean) {
    await this.session.q.query(
      `UPDATE notification_outbox SET last_error = $2, status = CASE WHEN $4 THEN 'failed' ELSE status END,
              next_at = now() + make_interval(secs => $3)
        WHERE id = $1`,
      [id, error.slice(0, 500), retryInSeconds, giveUp],
    );
  }
}
