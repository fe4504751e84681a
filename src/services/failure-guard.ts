import type { Context } from './context.js';

/** One attempt let through the guard: unless it is marked a success, it counts as a failure. */
export interface GuardedAttempt {
  succeeded(): Promise<void>;
}

/**
 * A brake on guessing: attempts under one key (an address, a merchant and an address) take a slot
 * of a one-minute window before they run, atomically, and a successful one gives it back: so only
 * failures stay counted, and once `limit` have failed (or are in flight) every further attempt is
 * refused until the minute is over, however many arrive at once. Real users are not shut out by
 * their own successful use.
 */
export function failureGuard(ctx: Context, key: string, limit: number) {
  return {
    /** A slot for one attempt, or undefined when the brake is on. */
    async attempt(): Promise<GuardedAttempt | undefined> {
      if (!(await ctx.cache.take(key, 60, limit))) return undefined;
      return { succeeded: () => ctx.cache.giveBack(key) };
    },
  };
}
