/** A notification waiting in the outbox, with what delivering it needs. */
export interface PendingNotification {
  id: bigint;
  event_id: string;
  payment_id: string;
  merchant_id: string;
  sink: string;
  event: Record<string, unknown>;
  attempts: number;
  created_at: Date;
  sink_credential_encrypted: string | null;
  notification_secret_encrypted: string | null;
}

/**
 * The outbox of CAMARA notifications. It is filled by the database itself, in the transaction that
 * changes a payment's state, so no code path can change a state and forget to tell.
 */
export interface NotificationStore {
  markDelivered(id: bigint): Promise<void>;
  /** A failed try: again after `retryInSeconds`, or given up for good. */
  markFailedTry(id: bigint, error: string, retryInSeconds: number, giveUp: boolean): Promise<void>;
}

export interface LockingNotificationStore extends NotificationStore {
  /** Notifications due, with a lease: per payment only its oldest undelivered one, so events arrive in order. */
  claimDue(leaseSeconds: number, limit: number): Promise<PendingNotification[]>;
}
