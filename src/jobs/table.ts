import type { Context } from '../services/context.js';
import { recoverUnknownOutcomes } from './recovery.js';
import { OutboxDeliveries } from './notifications.js';
import { expireLapsedPayments } from './expiry.js';
import { reconcileLastMonth } from './monthly-statements.js';
import type { Job } from './scheduler.js';
import { renewDueSubscriptions } from '../services/subscriptions/due.js';

/** Every scheduled job of the gateway, with its schedule from the configuration. */
export function jobTable(ctx: Context): Job[] {
  const { config } = ctx;
  const outbox = new OutboxDeliveries(ctx);
  return [
    { name: 'expiry', schedule: config.payments.expirySchedule, run: () => expireLapsedPayments(ctx) },
    { name: 'subscriptions', schedule: config.subscriptions.schedule, run: () => renewDueSubscriptions(ctx) },
    { name: 'recovery', schedule: config.recovery.schedule, runAtStart: true, run: () => recoverUnknownOutcomes(ctx) },
    {
      name: 'monthly-statements',
      schedule: config.reconciliation.schedule,
      run: () => reconcileLastMonth(ctx),
    },
    {
      name: 'notifications',
      schedule: config.notifications.schedule,
      run: () => outbox.pump(),
      settle: (ms) => outbox.settle(ms),
    },
  ];
}
