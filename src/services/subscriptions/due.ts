import { formatForPeople } from '../../domain/money.js';
import { renewalReminderText } from '../../domain/sms-texts.js';
import { localTime } from '../../domain/subscription-periods.js';
import { textPhoneUser } from '../carriers/sms.js';
import type { Context } from '../context.js';
import { merchantName } from '../merchant-name.js';
import { recoveryWindows } from '../recovery/windows.js';
import { chargePeriod } from './renew.js';

/** Subscriptions one run renews at most. */
const BATCH = 50;

/**
 * The renewal job's work: each due subscription is leased to this run (so several instances do
 * not take the same one at once), charged for its period, and released; then the phone users whose
 * next renewal is within the reminder lead are texted once per period.
 */
export async function renewDueSubscriptions(ctx: Context): Promise<{ renewed: number; reminded: number }> {
  const now = ctx.clock.now();
  // Held as long as a recovery claim (longer than a charge's calls): a run that dies leaves them
  // to the next one within seconds; two at once on one period find the same payment, by reference.
  const leaseUntil = new Date(now.getTime() + recoveryWindows(ctx).leaseSeconds * 1000);
  let renewed = 0;
  for (const s of await ctx.store.subscriptions.claimDue(now, leaseUntil, BATCH)) {
    try {
      if (await chargePeriod(ctx, s)) renewed += 1;
    } catch (error) {
      ctx.log.error(
        { err: error, subscriptionId: s.id },
        'renewal failed; the lease lapses and a later run tries again',
      );
    }
  }
  const lead = ctx.config.subscriptions.reminderLeadDays * 86_400_000;
  const toRemind = await ctx.store.subscriptions.claimReminders(new Date(now.getTime() + lead), BATCH);
  for (const s of toRemind) {
    const timeZone = ctx.carriers.get(s.carrier_id)?.config.timeZone ?? 'Asia/Seoul';
    const on = localTime(s.next_charge_at ?? now, timeZone);
    const text = renewalReminderText({
      merchantName: await merchantName(ctx, s.merchant_id),
      description: s.description,
      amount: formatForPeople(s.amount_minor, s.currency),
      every: s.period === 'P1M' ? 'month' : 'week',
      on: `${on.year}-${String(on.month).padStart(2, '0')}-${String(on.day).padStart(2, '0')}`,
      stopPage: `${ctx.config.publicUrl ?? ''}/me`,
    });
    await textPhoneUser(ctx, s.carrier_id, s.phone_number, text, 'renewal_reminder', { subscriptionId: s.id });
  }
  return { renewed, reminded: toRemind.length };
}
