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
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unsupported_grant_type'
      | 'unsupported_response_type'
      | 'invalid_scope'
      | 'unauthorized_client'
      | 'temporarily_unavailable'
      // CIBA (OpenID Connect Client-Initiated Backchannel Authentication 1.0, §11 and §13).
      | 'unknown_user_id'
      | 'authorization_pending'
      | 'slow_down'
      | 'expired_token'
      | 'access_denied',
    /** Seconds after which to try again (429). */
    readonly retryAfter?: number,
  ) {
    super(error);
  }
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Where the request came from (the trusted client address): failures are braked per address. */
  clientAddress: string;
}

const tooManyFailures = () => new OAuthError(429, 'temporarily_unavailable', GUARD_WINDOW_SECONDS);

/**
 * OAuth 2.0 client credentials: a bearer token with the asked scopes (default: all the client
 * has).
 */
export async function issueAccessToken(ctx: Context, client: AuthenticatedClient, scope: string | undefined) {
  const asked = scope?.split(' ').filter(Boolean);
  if (asked && asked.some((s) => !client.merchant.scopes.includes(s))) throw new OAuthError(400, 'invalid_scope');
  const scopes = asked && asked.length > 0 ? asked : client.merchant.scopes;
  return mintToken(ctx, client, scopes);
}

/** A client that authenticated at one of the OAuth endpoints, with the stored secret hash it matched. */
export interface AuthenticatedClient {
  merchant: MerchantRecord;
  secretHash: string;
}

/**
 * The client of a request to an OAuth endpoint, or 401 invalid_client. Failures are braked per
 * client address before anything else is done, so a flood of made-up credentials costs a cache
 * round trip each, not a database look-up and a hash.
 */
export async function authenticateTokenClient(ctx: Context, request: ClientCredentials): Promise<AuthenticatedClient> {
  const client = await braked(
    ctx,
    `token-failures:${request.clientAddress}`,
    ctx.config.oauth.failedAttemptsPerAddressPerMinute,
    () => authenticateClient(ctx, request.clientId, request.clientSecret),
    tooManyFailures,
  );
  if (!client) throw new OAuthError(401, 'invalid_client');
  return client;
}

/**
 * A new bearer token for `scopes` (three-legged: bound to `grant`). Written only if an operator
 * did not revoke, disable or rotate meanwhile, nor (three-legged) the grant was revoked.
 */
export async function mintToken(
  ctx: Context,
  client: AuthenticatedClient,
  scopes: string[],
  grant?: { id: string; shownScopes: string[] },
) {
  const token = randomBytes(32).toString('base64url');
  const ttl = ctx.config.tokenTtlSeconds;
  const now = ctx.clock.now();
  const written = await ctx.store.tokens.insertIfStillValid({
    hash: keyedDigest(ctx.keys.tokens, token),
    merchantId: client.merchant.id,
    scopes,
    expiresAt: new Date(now.getTime() + ttl * 1000),
    generation: client.merchant.token_generation,
    secretHash: client.secretHash,
    now,
    ...(grant ? { grantId: grant.id } : {}),
  });
  if (!written) throw new OAuthError(grant ? 400 : 401, grant ? 'invalid_grant' : 'invalid_client');
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: ttl,
    scope: (grant?.shownScopes ?? scopes).join(' '),
  };
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
