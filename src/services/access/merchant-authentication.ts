import { errors } from '../../domain/errors.js';
import type { TokenRecord } from '../../ports/store/merchants.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { keyedDigest } from '../keys.js';
import { limitsOf } from '../merchant-limits.js';

/**
 * Tokens seen recently, per gateway: every merchant request starts with this look-up, and a
 * database round trip for each was the largest single cost of a purchase flow. An entry lives at
 * most TOKEN_CACHE_MS and never past the token's own expiry; and when an operator changes, stops
 * or revokes a merchant, every instance hears it (the cache's publish and subscribe) and forgets
 * that merchant's entries at once. When the news may have been missed, every entry is forgotten.
 */
const TOKEN_CACHE_MS = 10_000;
const TOKEN_CACHE_SIZE = 10_000;
const CHANNEL = 'merchant-changed';

interface Entry {
  principal: MerchantPrincipal;
  until: number;
}
interface TokenCache {
  entries: Map<string, Entry>;
  /** Counts the news heard: a look-up that news overtook is not cached (it may have read the old row). */
  news: number;
}
/** Only contexts that hear the news keep tokens (see watchMerchantChanges); others always ask the store. */
const tokenCaches = new WeakMap<Context, TokenCache>();

/** Starts this instance's token cache, listening for merchants that changed. */
export async function watchMerchantChanges(ctx: Context): Promise<void> {
  const cache: TokenCache = { entries: new Map(), news: 0 };
  await ctx.cache.subscribe(CHANNEL, (merchantId) => {
    cache.news += 1;
    if (merchantId === undefined) cache.entries.clear();
    else for (const [key, entry] of cache.entries) if (entry.principal.id === merchantId) cache.entries.delete(key);
  });
  tokenCaches.set(ctx, cache);
}

/**
 * Tells every instance that a merchant's tokens, scopes or limits changed. The change is already
 * committed: should the news not go out, it is logged, and the other instances' entries lapse
 * within TOKEN_CACHE_MS.
 */
export async function forgetMerchant(ctx: Context, merchantId: string): Promise<void> {
  try {
    await ctx.cache.publish(CHANNEL, merchantId);
  } catch (error) {
    ctx.log.error({ err: error, merchantId }, 'could not tell the other instances of a merchant change');
  }
}

/** The merchant behind a bearer token, provided the token is live and carries `scope`. */
export async function authenticateMerchant(
  ctx: Context,
  token: string | undefined,
  scope: string,
): Promise<MerchantPrincipal> {
  if (!token) throw errors.unauthenticated();
  const digest = keyedDigest(ctx.keys.tokens, token);
  const key = digest.toString('base64');
  const cache = tokenCaches.get(ctx);
  const now = ctx.clock.now().getTime();
  let entry = cache?.entries.get(key);
  if (!entry || entry.until <= now) {
    const newsBefore = cache?.news;
    const row = await ctx.store.tokens.findLive(digest, ctx.clock.now());
    if (!row) {
      cache?.entries.delete(key);
      throw errors.unauthenticated();
    }
    entry = { until: Math.min(now + TOKEN_CACHE_MS, row.expires_at.getTime()), principal: principalOf(row) };
    if (cache && cache.news === newsBefore) {
      if (cache.entries.size >= TOKEN_CACHE_SIZE) cache.entries.clear();
      cache.entries.set(key, entry);
    }
  }
  if (!entry.principal.scopes.includes(scope)) throw errors.permissionDenied();
  return entry.principal;
}

function principalOf(row: TokenRecord): MerchantPrincipal {
  return {
    id: row.merchant_id,
    name: row.merchant_name,
    scopes: row.scopes,
    oneStepPayments: row.one_step_payments,
    validationMode: row.validation_mode,
    completionMode: row.completion_mode,
    category: row.category,
    dailyCapMinor: row.daily_cap_minor === null ? null : Number(row.daily_cap_minor),
    limits: limitsOf(row),
    ...(row.phone_number !== null && row.grant_id !== null
      ? { phoneUser: { phoneNumber: row.phone_number, grantId: row.grant_id } }
      : {}),
  };
}
