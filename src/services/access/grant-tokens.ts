import { errors } from '../../domain/errors.js';
import { maskPhoneNumber } from '../../domain/phone.js';
import { pkceMatches } from '../../domain/pkce.js';
import type { AuthorizationRequestRecord, GrantRecord } from '../../ports/store/grants.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { keyedDigest } from '../keys.js';
import { mintToken, OAuthError, type AuthenticatedClient } from './access-tokens.js';
import { forgetMerchant } from './merchant-authentication.js';
import { authorizationCodeDigest } from './phone-user-authorization.js';

/**
 * CIBA's token request (`grant_type=urn:openid:params:grant-type:ciba`): pending until the phone
 * user answers (`authorization_pending`, or `slow_down` for a poll sooner than the interval), then
 * one token bound to the grant; `access_denied` or `expired_token` otherwise.
 */
export async function cibaToken(ctx: Context, client: AuthenticatedClient, authReqId: string | undefined) {
  if (!authReqId) throw new OAuthError(400, 'invalid_request');
  const request = await ctx.store.grants.findRequestByAuthReqId(
    client.merchant.id,
    keyedDigest(ctx.keys.tokens, `auth-req:${authReqId}`),
  );
  if (!request) throw new OAuthError(400, 'invalid_grant');
  const now = ctx.clock.now();
  switch (request.status) {
    case 'denied':
      throw new OAuthError(400, 'access_denied');
    case 'issued':
      throw new OAuthError(400, 'invalid_grant');
    case 'pending': {
      if (request.expires_at <= now) throw new OAuthError(400, 'expired_token');
      const next = new Date(now.getTime() + ctx.config.oauth.cibaPollIntervalSeconds * 1000);
      if (!(await ctx.store.grants.pollAt(request.id, now, next))) throw new OAuthError(400, 'slow_down');
      throw new OAuthError(400, 'authorization_pending');
    }
    case 'approved':
      if (request.expires_at <= now) throw new OAuthError(400, 'expired_token');
      return tokenOfApproved(ctx, client, request);
  }
}

/**
 * The authorization code flow's exchange (`grant_type=authorization_code`): the code once, within
 * its minute, with the redirect_uri it was issued for and the PKCE verifier of its challenge. A
 * code used twice is a stolen one (RFC 6749 §4.1.2): its grant is revoked, and the token
 * issued with it stops working.
 */
export async function authorizationCodeToken(
  ctx: Context,
  client: AuthenticatedClient,
  input: { code?: string; redirectUri?: string; codeVerifier?: string },
) {
  if (!input.code || !input.codeVerifier || !input.redirectUri) throw new OAuthError(400, 'invalid_request');
  const request = await ctx.store.grants.findRequestByCode(
    client.merchant.id,
    authorizationCodeDigest(ctx, input.code),
  );
  if (!request) throw new OAuthError(400, 'invalid_grant');
  if (request.status === 'issued') {
    if (request.grant_id) await revokeGrant(ctx, request.grant_id, 'security:authorization-code-replayed');
    throw new OAuthError(400, 'invalid_grant');
  }
  const fresh = request.status === 'approved' && (request.code_expires_at ?? new Date(0)) > ctx.clock.now();
  if (
    !fresh ||
    request.redirect_uri !== input.redirectUri ||
    !pkceMatches(input.codeVerifier, request.code_challenge ?? '')
  )
    throw new OAuthError(400, 'invalid_grant');
  return tokenOfApproved(ctx, client, request);
}

/** The one token of an approved request: marked issued first, so two exchanges at once get one token. */
async function tokenOfApproved(ctx: Context, client: AuthenticatedClient, request: AuthorizationRequestRecord) {
  if (!request.grant_id || !(await ctx.store.grants.markIssued(request.id))) throw new OAuthError(400, 'invalid_grant');
  return mintToken(ctx, client, request.scopes, { id: request.grant_id, shownScopes: ['openid', ...request.scopes] });
}

/**
 * Ends a grant: its tokens are deleted and every instance forgets the merchant's cached tokens,
 * so they answer 401 at once. `by` is `phone-user` or an operator's actor name.
 */
export async function revokeGrant(ctx: Context, grantId: string, by: string): Promise<GrantRecord | undefined> {
  const grant = await ctx.store.grants.revoke(grantId, by, ctx.clock.now());
  if (grant) await forgetMerchant(ctx, grant.merchant_id);
  return grant;
}

/** An operator revokes a phone user's grant; the audit trail names who. */
export async function revokeGrantAsOperator(ctx: Context, by: OperatorPrincipal, grantId: string) {
  requireAdmin(by);
  const before = await ctx.store.grants.findGrant(grantId);
  if (!before) throw errors.notFound('No such grant.');
  // Ended already (by the phone user, say): nothing to do, nothing to audit.
  if (before.revoked_at) return grantView(before);
  const grant = await revokeGrant(ctx, grantId, actorOf(by));
  if (!grant) throw errors.notFound('No such grant.');
  await ctx.store.audit.recordAction({
    actor: actorOf(by),
    event: 'access_grant_revoked',
    merchantId: grant.merchant_id,
    detail: { by: by.name, grantId, phoneNumber: maskPhoneNumber(grant.phone_number) },
  });
  return grantView(grant);
}

export async function listGrants(ctx: Context, filter: { phoneNumber?: string; merchantId?: string }) {
  return (await ctx.store.grants.listGrants({ ...filter, limit: 200 })).map(grantView);
}

export function grantView(g: GrantRecord) {
  return {
    grantId: g.id,
    merchantId: g.merchant_id,
    phoneNumber: g.phone_number,
    scopes: g.scopes,
    flow: g.flow,
    createdAt: g.created_at.toISOString(),
    ...(g.revoked_at ? { revokedAt: g.revoked_at.toISOString(), revokedBy: g.revoked_by } : {}),
  };
}
