import type { Context } from '../services/context.js';
import { deliverNotification } from '../services/notifications/deliver.js';
import { within } from '../services/within.js';

/**
 * The outbox's deliveries in this process (security finding 11). Each tick of the job, and each
 * delivery that ends, claims what is due while there is room: up to `notifications.concurrency`
 * at once, at most `perMerchantConcurrency` of any one merchant. Deliveries run on their own, not
 * in rounds that wait for their slowest, so a merchant whose sink hangs holds its own slots only
 * and every other merchant's events keep flowing. A payment's events still go in order (the claim
 * hands out only each payment's oldest undelivered one), and each claim is leased, so instances
 * never deliver the same notification at once.
 */
export class OutboxDeliveries {
  private readonly running = new Set<Promise<unknown>>();
  private readonly inFlight = new Map<string, number>();
  private filling: Promise<number> | undefined;
  private stopping = false;

  constructor(private readonly ctx: Context) {}

  /** Starts deliveries for what is due while there is room; how many it started. */
  pump(): Promise<number> {
    if (this.stopping) return Promise.resolve(0);
    return (this.filling ??= this.fill().finally(() => (this.filling = undefined)));
  }

  /** Takes no more work and lets deliveries in flight finish, for at most `ms`. */
  async settle(ms: number): Promise<void> {
    this.stopping = true;
    await within(ms, Promise.all(this.running));
  }

  private async fill(): Promise<number> {
    const { concurrency, perMerchantConcurrency, timeoutMs, dnsTimeoutMs } = this.ctx.config.notifications;
    const leaseSeconds = Math.ceil((timeoutMs + dnsTimeoutMs) / 1000) * 2 + 5;
    let started = 0;
    while (!this.stopping && this.running.size < concurrency) {
      const room = concurrency - this.running.size;
      const due = await this.ctx.store.transaction(async (tx) =>
        (await tx.jobs.tryLock('notifications'))
          ? tx.notifications.claimDue(leaseSeconds, room, perMerchantConcurrency, this.inFlight)
          : [],
      );
      if (due.length === 0) break;
      for (const n of due) this.start(n);
      started += due.length;
    }
    return started;
  }

  private start(n: Parameters<typeof deliverNotification>[1]): void {
    this.inFlight.set(n.merchant_id, (this.inFlight.get(n.merchant_id) ?? 0) + 1);
    const delivery = deliverNotification(this.ctx, n)
      // A failed try is recorded by deliverNotification itself; anything thrown is the store's.
      .catch((error: unknown) => {
        this.ctx.log.error({ err: error, notificationId: String(n.id) }, 'notification delivery failed');
      })
      .finally(() => {
        const left = (this.inFlight.get(n.merchant_id) ?? 1) - 1;
        if (left > 0) this.inFlight.set(n.merchant_id, left);
        else this.inFlight.delete(n.merchant_id);
        this.running.delete(delivery);
        // A slot is free, and the payment's next event may be due now.
        this.pump().catch((error: unknown) => this.ctx.log.error({ err: error }, 'outbox claim failed'));
      });
    this.running.add(delivery);
  }
}
