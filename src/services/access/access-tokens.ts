import { randomBytes } from 'node:crypto';
import { errors } from '../../domain/errors.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { keyedDigest } from '../keys.js';
import { hashSecret, isSlowHash, verifySecret } from './client-secrets.js';
import { failureGuard } from '../failure-guard.js';
import type { MerchantRecord } from '../../ports/store/merchants.js';

/** An RFC 6749 error of the token endpoint (its own body shape, not CAMARA's). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error:
      'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable',
    /** Seconds after which to try again (429). */
    readonly retryAfter?: number,
  ) {
    super(error);
  }
}

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Where the request came from (the trusted client address): failures are braked per address. */
  clientAddress: string;
}

const tooManyFailures = () => new OAuthError(429, 'temporarily_unavailable', 60);

/**
 * OAuth 2.0 client credentials: a bearer token with the asked scopes (default: all the client
 * has). Failures are braked per client address before anything else is done, so a flood of
 * made-up credentials costs a cache round trip each, not a database look-up and a hash.
 */
export async function issueAccessToken(ctx: Context, request: TokenRequest) {
  const slot = await failureGuard(
    ctx,
    `token-failures:${request.clientAddress}`,
    ctx.config.oauth.failedAttemptsPerAddressPerMinute,
  ).attempt();
  if (!slot) throw tooManyFailures();
  const merchant = await authenticateClient(ctx, request.clientId, request.clientSecret);
  const asked = request.scope?.split(' ').filter(Boolean);
  if (asked && asked.some((s) => !merchant.scopes.includes(s))) throw new OAuthError(400, 'invalid_scope');
  await slot.succeeded();
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

/** The merchant whose client id and secret these are, or invalid_client. */
async function authenticateClient(ctx: Context, clientId: string, secret: string): Promise<MerchantRecord> {
  const merchant = await ctx.store.merchants.findByClientId(clientId);
  // An unknown client costs the same keyed hash as a known one.
  const stored = merchant?.client_secret_hash ?? UNKNOWN_CLIENT_HASH;
  if (isSlowHash(stored)) {
    // An old scrypt hash: each check costs ~50 ms of CPU, so they are rationed per client.
    const slow = await ctx.cache.take(
      `slow-secret-checks:${clientId}`,
      60,
      ctx.config.oauth.slowChecksPerClientPerMinute,
    );
    if (!slow) throw tooManyFailures();
  }
  const valid = await verifySecret(ctx.keys.clientSecrets, secret, stored);
  if (!merchant || !valid) throw new OAuthError(401, 'invalid_client');
  if (isSlowHash(stored))
    await ctx.store.merchants.upgradeSecretHash(merchant.id, stored, hashSecret(ctx.keys.clientSecrets, secret));
  return merchant;
}

const UNKNOWN_CLIENT_HASH = `hmac-sha256$${'A'.repeat(43)}`;

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
