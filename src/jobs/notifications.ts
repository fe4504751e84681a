import type { Context } from '../services/context.js';
import { deliverNotification } from '../services/notifications/deliver.js';

const BATCH = 50;

/**
 * Delivers what is due in the outbox, a payment's events in order (the claim hands out only each
 * payment's oldest undelivered event), under the job's lock so one instance works at a time.
 */
export async function deliverNotifications(ctx: Context): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  const leaseSeconds = Math.ceil(ctx.config.notifications.timeoutMs / 1000) * 2 + 5;
  // A payment's next event becomes due once the previous one is delivered: a few rounds per run.
  for (let round = 0; round < 5; round++) {
    const due = await ctx.store.transaction(async (tx) =>
      (await tx.jobs.tryLock('notifications')) ? tx.notifications.claimDue(leaseSeconds, BATCH) : [],
    );
    if (due.length === 0) break;
    const results = await Promise.allSettled(due.map((n) => deliverNotification(ctx, n)));
    delivered += results.filter((r) => r.status === 'fulfilled' && r.value).length;
    failed += results.filter((r) => r.status !== 'fulfilled' || !r.value).length;
  }
  return { delivered, failed };
}
