import type { DailyVolume } from '../../ports/store/payments.js';
import type { Context } from '../context.js';
import { searchPayments } from './payments.js';

export type { DailyVolume };

/** The dashboard's first page: charged payments per day and carrier, and what waits for people. */
export async function overview(ctx: Context, days: number) {
  const from = new Date(ctx.clock.now().getTime() - days * 86_400_000);
  const [volume, review] = await Promise.all([
    ctx.store.payments.dailyVolume(from),
    searchPayments(ctx, { status: 'manual_review', page: 1, perPage: 1 }),
  ]);
  return { volume, manualReview: review.total };
}
