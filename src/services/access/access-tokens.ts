import { randomBytes } from 'node:crypto';
import type { Context } from '../context.js';
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

/**
 * The merchant whose client id and secret these are (its current secret, or the one before its
 * last rotation until that one's grace period ends), or invalid_client; a disabled merchant's
 * right secret is invalid_client too.
 */
async function authenticateClient(ctx: Context, clientId: string, secret: string): Promise<MerchantRecord> {
  const merchant = await ctx.store.merchants.findByClientId(clientId);
  // An unknown client costs the same keyed hash as a known one.
  const current = merchant?.client_secret_hash ?? UNKNOWN_CLIENT_HASH;
  const previous =
    merchant?.previous_secret_hash && (merchant.previous_secret_valid_until ?? 0) > ctx.clock.now()
      ? merchant.previous_secret_hash
      : undefined;
  const currentMatches = await secretMatches(ctx, clientId, secret, current);
  const matches = currentMatches || (previous !== undefined && (await secretMatches(ctx, clientId, secret, previous)));
  if (!merchant || !matches || merchant.disabled_at) throw new OAuthError(401, 'invalid_client');
  if (currentMatches && isSlowHash(current))
    await ctx.store.merchants.upgradeSecretHash(merchant.id, current, hashSecret(ctx.keys.clientSecrets, secret));
  return merchant;
}

async function secretMatches(ctx: Context, clientId: string, secret: string, stored: string): Promise<boolean> {
  if (isSlowHash(stored)) {
    // An old scrypt hash: each check costs ~50 ms of CPU, so they are rationed per client.
    const slow = await ctx.cache.take(
      `slow-secret-checks:${clientId}`,
      60,
      ctx.config.oauth.slowChecksPerClientPerMinute,
    );
    if (!slow) throw tooManyFailures();
  }
  return verifySecret(ctx.keys.clientSecrets, secret, stored);
}

const UNKNOWN_CLIENT_HASH = `hmac-sha256$${'A'.repeat(43)}`;
