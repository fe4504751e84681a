import { randomBytes } from 'node:crypto';
import { errors } from '../../domain/errors.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { keyedDigest } from '../keys.js';
import { verifySecret } from './client-secrets.js';

/** An RFC 6749 error of the token endpoint (its own body shape, not CAMARA's). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
  ) {
    super(error);
  }
}

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  scope?: string;
}

/** OAuth 2.0 client credentials: a bearer token with the asked scopes (default: all the client has). */
export async function issueAccessToken(ctx: Context, request: TokenRequest) {
  const merchant = await ctx.store.merchants.findByClientId(request.clientId);
  // Verify against a dummy hash when the client is unknown, so timing does not tell which part was wrong.
  const valid = await verifySecret(request.clientSecret, merchant?.client_secret_hash ?? DUMMY_HASH);
  if (!merchant || !valid) throw new OAuthError(401, 'invalid_client');
  const asked = request.scope?.split(' ').filter(Boolean);
  if (asked && asked.some((s) => !merchant.scopes.includes(s))) throw new OAuthError(400, 'invalid_scope');
  const scopes = asked && asked.length > 0 ? asked : merchant.scopes;
  const token = randomBytes(32).toString('base64url');
  const ttl = ctx.config.tokenTtlSeconds;
  await ctx.store.tokens.insert(
    keyedDigest(ctx.keys.tokens, token),
    merchant.id,
    scopes,
    new Date(ctx.clock.now().getTime() + ttl * 1000),
  );
  return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') };
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Tokens seen recently, per gateway: every merchant request starts with this look-up, and a
 * database round trip for each was the largest single cost of a purchase flow. An entry lives
 * at most TOKEN_CACHE_MS (so a revoked token stops working within that time on every instance)
 * and never past the token's own expiry.
 */
const TOKEN_CACHE_MS = 10_000;
const TOKEN_CACHE_SIZE = 10_000;
const tokenCaches = new WeakMap<Context, Map<string, { principal: MerchantPrincipal; until: number }>>();

function tokenCache(ctx: Context) {
  let cache = tokenCaches.get(ctx);
  if (!cache) tokenCaches.set(ctx, (cache = new Map<string, { principal: MerchantPrincipal; until: number }>()));
  return cache;
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
  const cache = tokenCache(ctx);
  const now = ctx.clock.now().getTime();
  let principal = cache.get(key);
  if (!principal || principal.until <= now) {
    const row = await ctx.store.tokens.findLive(digest, ctx.clock.now());
    if (!row) {
      cache.delete(key);
      throw errors.unauthenticated();
    }
    if (cache.size >= TOKEN_CACHE_SIZE) cache.clear();
    principal = {
      until: Math.min(now + TOKEN_CACHE_MS, row.expires_at.getTime()),
      principal: {
        id: row.merchant_id,
        name: row.merchant_name,
        scopes: row.scopes,
        oneStepPayments: row.one_step_payments,
        validationMode: row.validation_mode,
        dailyCapMinor: row.daily_cap_minor === null ? null : Number(row.daily_cap_minor),
      },
    };
    cache.set(key, principal);
  }
  if (!principal.principal.scopes.includes(scope)) throw errors.permissionDenied();
  return principal.principal;
}
