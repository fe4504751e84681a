import type { Context } from './context.js';

/** The brakes' window: a refused client is told to come back after it. */
export const GUARD_WINDOW_SECONDS = 60;

/**
 * A brake on guessing (gift codes, page links, credentials): attempts under one key (a client
 * address, a merchant and an address) take a slot of the current minute before they run,
 * atomically, and one that finds what it looked for gives its slot back, so only failures stay
 * counted. Once `limit` have failed (or are in flight) every further attempt is refused before it
 * runs, however many arrive at once; real users are not shut out by their own successful use.
 *
 * `attempt` answers undefined for a failed guess. Throwing is not a failed guess (the thing was
 * found but may not be used: an inactive certificate, say), so the slot is given back.
 */
export async function braked<T>(
  ctx: Context,
  key: string,
  limit: number,
  attempt: () => Promise<T | undefined>,
  refusal: () => Error,
): Promise<T | undefined> {
  const slot = await ctx.cache.take(key, GUARD_WINDOW_SECONDS, limit);
  if (!slot) throw refusal();
  let result: T | undefined;
  try {
    result = await attempt();
  } catch (error) {
    await ctx.cache.giveBack(slot);
    throw error;
  }
  if (result !== undefined) await ctx.cache.giveBack(slot);
  return result;
}
