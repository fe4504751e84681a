import type { CarrierSignals } from '../../ports/carrier-signals.js';
import type { Context } from '../context.js';

const MAX_ENTRIES = 50_000;
const answers = new WeakMap<Context, Map<string, { answer: boolean | undefined; until: number }>>();

/**
 * A carrier's SIM swap and tenure answers for a number, asked in parallel and kept per instance
 * for `risk.signalCacheSeconds`, so a burst of purchases from one number (the cash-out pattern)
 * asks once. Only answers that cannot turn risky meanwhile are kept: a swap (a SIM not swapped
 * now may be in a minute, so "not swapped" is asked every time) and any line age (lines only grow
 * older). Unanswered questions are left out, and asked again next time.
 */
export async function askCarrier(
  ctx: Context,
  signals: CarrierSignals | undefined,
  phoneNumber: string,
  questions: { simSwapHours: number[]; tenureDays: number[] },
): Promise<{ simSwappedWithin: Map<number, boolean>; tenureBelow: Map<number, boolean> }> {
  const simSwappedWithin = new Map<number, boolean>();
  const tenureBelow = new Map<number, boolean>();
  if (!signals) return { simSwappedWithin, tenureBelow };
  const today = ctx.clock.now();
  await Promise.all([
    ...questions.simSwapHours.map(async (hours) => {
      const answer = await cached(
        ctx,
        `swap:${hours}:${phoneNumber}`,
        () => signals.simSwappedWithin(phoneNumber, hours),
        (swapped) => swapped,
      );
      if (answer !== undefined) simSwappedWithin.set(hours, answer);
    }),
    ...questions.tenureDays.map(async (days) => {
      const answer = await cached(
        ctx,
        `tenure:${days}:${phoneNumber}`,
        () => signals.lineYoungerThan(phoneNumber, days, today),
        () => true,
      );
      if (answer !== undefined) tenureBelow.set(days, answer);
    }),
  ]);
  return { simSwappedWithin, tenureBelow };
}

async function cached(
  ctx: Context,
  key: string,
  ask: () => Promise<boolean | undefined>,
  keep: (answer: boolean) => boolean,
): Promise<boolean | undefined> {
  let entries = answers.get(ctx);
  if (!entries) {
    entries = new Map<string, { answer: boolean | undefined; until: number }>();
    answers.set(ctx, entries);
  }
  // Real time, not the gateway's clock: this is about how fresh an answer is.
  const now = Date.now();
  const entry = entries.get(key);
  if (entry && entry.until > now) return entry.answer;
  const answer = await ask();
  if (answer !== undefined && keep(answer) && ctx.config.risk.signalCacheSeconds > 0) {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, { answer, until: now + ctx.config.risk.signalCacheSeconds * 1000 });
  }
  return answer;
}
