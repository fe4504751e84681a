import { randomBytes } from 'node:crypto';
import type { Context } from '../context.js';
import { keyedDigest } from '../keys.js';
import { hashSecret, isSlowHash, verifySecret } from './client-secrets.js';
import { braked, GUARD_WINDOW_SECONDS } from '../failure-guard.js';
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

const tooManyFailures = () => new OAuthError(429, 'temporarily_unavailable', GUARD_WINDOW_SECONDS);

/**
 * OAuth 2.0 client credentials: a bearer token with the asked scopes (default: all the client
 * has). Failures are braked per client address before anything else is done, so a flood of
 * made-up credentials costs a cache round trip each, not a database look-up and a hash.
 */
export async function issueAccessToken(ctx: Context, request: TokenRequest) {
  const client = await braked(
    ctx,
    `token-failures:${request.clientAddress}`,
    ctx.config.oauth.failedAttemptsPerAddressPerMinute,
    () => authenticateClient(ctx, request.clientId, request.clientSecret),
    tooManyFailures,
  );
  if (!client) throw new OAuthError(401, 'invalid_client');
  const { merchant, secretHash } = client;
  const asked = request.scope?.split(' ').filter(Boolean);
  if (asked && asked.some((s) => !merchant.scopes.includes(s))) throw new OAuthError(400, 'invalid_scope');
  const scopes = asked && asked.length > 0 ? asked : merchant.scopes;
  const token = randomBytes(32).toString('base64url');
  const ttl = ctx.config.tokenTtlSeconds;
  const now = ctx.clock.now();
  // Written only if an operator did not revoke, disable or rotate meanwhile.
  const written = await ctx.store.tokens.insertIfStillValid({
    hash: keyedDigest(ctx.keys.tokens, token),
    merchantId: merchant.id,
    scopes,
    expiresAt: new Date(now.getTime() + ttl * 1000),
    generation: merchant.token_generation,
    secretHash,
    now,
  });
  if (!written) throw new OAuthError(401, 'invalid_client');
  return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') };
}

/**
 * The merchant whose client id and secret these are (its current secret, or the one before its
 * last rotation until that one's grace period ends) with the stored hash the secret matched;
 * undefined for a wrong or unknown client or a disabled merchant.
 */
async function authenticateClient(
  ctx: Context,
  clientId: string,
  secret: string,
): Promise<{ merchant: MerchantRecord; secretHash: string } | undefined> {
  const merchant = await ctx.store.merchants.findByClientId(clientId);
  // An unknown client costs the same keyed hash as a known one.
  const current = merchant?.client_secret_hash ?? UNKNOWN_CLIENT_HASH;
  const previous =
    merchant?.previous_secret_hash && (merchant.previous_secret_valid_until ?? 0) > ctx.clock.now()
      ? merchant.previous_secret_hash
      : undefined;
  const matched = (await secretMatches(ctx, clientId, secret, current))
    ? current
    : previous !== undefined && (await secretMatches(ctx, clientId, secret, previous))
      ? previous
      : undefined;
  if (!merchant || !matched || merchant.disabled_at) return undefined;
  if (!isSlowHash(matched)) return { merchant, secretHash: matched };
  // An old scrypt hash, right: replaced by the keyed hash now (unless it changed meanwhile).
  const upgraded = hashSecret(ctx.keys.clientSecrets, secret);
  await ctx.store.merchants.upgradeSecretHash(merchant.id, matched, upgraded);
  return { merchant, secretHash: matched === current ? upgraded : matched };
}

async function secretMatches(ctx: Context, clientId: string, secret: string, stored: string): Promise<boolean> {
  if (!isSlowHash(stored)) return verifySecret(ctx.keys.clientSecrets, secret, stored);
  // An old scrypt hash: each check costs ~50 ms of CPU, so they are rationed per client; a
  // right secret gives its ration back, so wrong ones cannot keep the merchant out for long.
  const slot = await ctx.cache.take(
    `slow-secret-checks:${clientId}`,
    GUARD_WINDOW_SECONDS,
    ctx.config.oauth.slowChecksPerClientPerMinute,
  );
  if (!slot) throw tooManyFailures();
  const valid = await verifySecret(ctx.keys.clientSecrets, secret, stored);
  if (valid) await ctx.cache.giveBack(slot);
  return valid;
}

const UNKNOWN_CLIENT_HASH = `hmac-sha256$${'A'.repeat(43)}`;
