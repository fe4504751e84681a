/** A notification waiting in the outbox, with what delivering it needs. */
export interface PendingNotification {
  id: bigint;
  event_id: string;
  /** Whose event it is: a payment's (and a refund's of it), a consent's or a subscription's. */
  payment_id: string | null;
  /** Set for a refund's event (its credential is the refund's own). */
  refund_id: string | null;
  consent_id: string | null;
  subscription_id: string | null;
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
  /** Gives up (failed) up to `limit` notifications still pending that were created before `before`; how many. */
  giveUpStale(before: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` delivered or failed notifications created before `before`; how many. */
  pruneFinished(before: Date, limit: number): Promise<number>;
}

export interface LockingNotificationStore extends NotificationStore {
  /**
   * Notifications due, with a lease: per payment only its oldest undelivered one, so events arrive
   * in order, and per merchant at most `perMerchant` less those it has `inFlight` already, so one
   * merchant's backlog or slow sink cannot take every delivery slot.
   */
  claimDue(
    leaseSeconds: number,
    limit: number,
    perMerchant: number,
    inFlight: ReadonlyMap<string, number>,
  ): Promise<PendingNotification[]>;
}
