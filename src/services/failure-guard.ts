import type { Context } from './context.js';

/**
 * A brake on guessing: failed attempts under one key (an address, a merchant and an address) are
 * counted in a one-minute window, and once `limit` have failed every further attempt is refused
 * until the minute is over. Only failures count, so real users are not shut out by their own use.
 */
export function failureGuard(ctx: Context, key: string, limit: number) {
  return {
    isBlocked: async (): Promise<boolean> => (await ctx.cache.count(key)) >= limit,
    recordFailure: async (): Promise<void> => {
      await ctx.cache.hit(key, 60);
    },
  };
}
