import { randomBytes } from 'node:crypto';
import { ApiError } from '../../domain/errors.js';
import { newOtpCode, secretsEqual } from '../../domain/otp.js';
import { requireRealPhoneNumber } from '../../domain/phone.js';
import { S256_CHALLENGE } from '../../domain/pkce.js';
import { approvalText } from '../../domain/sms-texts.js';
import type { AuthorizationRequestRecord, GrantRecord } from '../../ports/store/grants.js';
import type { MerchantRecord } from '../../ports/store/merchants.js';
import type { RoutedCarrier } from '../carriers/directory.js';
import { textPhoneUser } from '../carriers/sms.js';
import type { Context } from '../context.js';
import { braked, GUARD_WINDOW_SECONDS } from '../failure-guard.js';
import { keyedDigest, randomId } from '../keys.js';
import { limitsOf } from '../merchant-limits.js';
import { servingCarrier } from '../payments/intake.js';
import { admitValidation, recordValidation } from '../payments/guessing-watch.js';
import { reserveCodeSend } from '../payments/send-allowance.js';
import { OAuthError, type AuthenticatedClient } from './access-tokens.js';

/**
 * Three-legged access (CONTRACTS §1b): a merchant asks, the phone user gets an SMS code and a
 * link to our approval page, and approving there records a grant (who, which merchant, which
 * scopes, when) from which the merchant gets a token that identifies the number. Two ways in:
 * CIBA (`/oauth/bc-authorize`, the merchant names the number and polls) and the authorization
 * code flow with PKCE (the phone user types the number on our page, then is sent back).
 */

/** One CIBA or authorization-code round, as the approval page shows it. */
export type AuthorizationRequest = AuthorizationRequestRecord;

/** What a phone user may let a merchant do: CAMARA's scopes, never the gateway's own (gift certificates). */
const ABILITIES: Readonly<Record<string, string>> = {
  'carrier-billing:payments:create': 'bill purchases to your phone bill',
  'carrier-billing:payments:read': 'see those payments',
  'carrier-billing:payments:write': 'confirm or cancel them',
  'carrier-billing-refund:refunds:create': 'refund them',
  'carrier-billing-refund:refunds:read': 'see their refunds',
};

export function abilitiesOf(scopes: readonly string[]): string[] {
  return scopes.map((s) => ABILITIES[s] ?? s);
}

/** How long an authorization code lives between the redirect and the merchant's exchange. */
export const AUTHORIZATION_CODE_SECONDS = 60;

/** The CAMARA scopes asked for with `openid` (OpenID Connect), each one the merchant has; else invalid_scope. */
export function grantableScopes(merchant: MerchantRecord, scope: string | undefined): string[] {
  const asked = (scope ?? '').split(' ').filter(Boolean);
  const camara = [...new Set(asked.filter((s) => s !== 'openid'))];
  if (!asked.includes('openid') || camara.length === 0) throw new OAuthError(400, 'invalid_scope');
  if (camara.some((s) => ABILITIES[s] === undefined || !merchant.scopes.includes(s)))
    throw new OAuthError(400, 'invalid_scope');
  return camara;
}

/** The number in CIBA's `login_hint=tel:+…`, served by one of the gateway's carriers; else unknown_user_id. */
async function hintedNumber(ctx: Context, loginHint: string | undefined) {
  if (!loginHint) throw new OAuthError(400, 'invalid_request');
  const match = /^tel:(\+[0-9]+)$/.exec(loginHint);
  if (!match?.[1]) throw new OAuthError(400, 'unknown_user_id');
  try {
    const phoneNumber = requireRealPhoneNumber(match[1]);
    return { phoneNumber, carrier: await servingCarrier(ctx, phoneNumber) };
  } catch (error) {
    if (error instanceof ApiError) throw new OAuthError(400, 'unknown_user_id');
    throw error;
  }
}

/** CIBA's backchannel authentication request: the phone user is texted; the merchant polls with auth_req_id. */
export async function startBackchannelAuthorization(
  ctx: Context,
  client: AuthenticatedClient,
  input: { loginHint?: string; scope?: string },
) {
  const scopes = grantableScopes(client.merchant, input.scope);
  const { phoneNumber, carrier } = await hintedNumber(ctx, input.loginHint);
  const authReqId = randomBytes(32).toString('base64url');
  await openRequest(ctx, client.merchant, carrier, {
    flow: 'ciba',
    phone_number: phoneNumber,
    scopes,
    auth_req_digest: keyedDigest(ctx.keys.tokens, `auth-req:${authReqId}`),
    redirect_uri: null,
    state: null,
    code_challenge: null,
  });
  return {
    auth_req_id: authReqId,
    expires_in: ctx.config.otp.ttlSeconds,
    interval: ctx.config.oauth.cibaPollIntervalSeconds,
  };
}

/** An authorization-code request as our page received it, its client and redirect_uri already checked. */
export interface CodeFlowRequest {
  merchant: MerchantRecord;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge: string;
}

/**
 * The parameters of `GET /oauth/authorize` once the client and its redirect_uri are known good
 * (only then may an error go back to the redirect_uri, RFC 6749 §4.1.2.1): PKCE with S256 is
 * required, and the scopes as for CIBA.
 */
export function codeFlowRequest(
  merchant: MerchantRecord,
  redirectUri: string,
  params: { responseType?: string; scope?: string; state?: string; codeChallenge?: string; method?: string },
): CodeFlowRequest {
  if (params.responseType !== 'code') throw new OAuthError(400, 'unsupported_response_type');
  if (params.method !== 'S256' || !S256_CHALLENGE.test(params.codeChallenge ?? ''))
    throw new OAuthError(400, 'invalid_request');
  return {
    merchant,
    redirectUri,
    scopes: grantableScopes(merchant, params.scope),
    state: params.state,
    codeChallenge: params.codeChallenge ?? '',
  };
}

/**
 * The merchant of an authorization request and the redirect_uri it registered, or undefined when
 * either is wrong: then the phone user sees an error on our page and is sent nowhere.
 */
export async function codeFlowClient(
  ctx: Context,
  clientId: string,
  redirectUri: string,
): Promise<MerchantRecord | undefined> {
  const merchant = clientId ? await ctx.store.merchants.findByClientId(clientId) : undefined;
  if (!merchant || merchant.disabled_at || !merchant.redirect_uris.includes(redirectUri)) return undefined;
  return merchant;
}

/** Codes the hosted sign-in page sends an hour for one client address (anyone may use it, so it is rationed). */
export const SIGN_IN_SENDS_PER_ADDRESS_PER_HOUR = 10;

/**
 * The phone user typed their number on our page: text them the code, and answer the approval
 * page's path with the key that binds it to this browser (only the browser that started may
 * approve, so nobody can get another's browser to approve their request).
 */
export async function startCodeFlow(
  ctx: Context,
  request: CodeFlowRequest,
  typedNumber: string,
  clientAddress: string,
): Promise<{ path: string; browserKey: string }> {
  const phoneNumber = requireRealPhoneNumber(typedNumber.replace(/[\s-]/g, ''));
  const carrier = await servingCarrier(ctx, phoneNumber);
  const slot = await ctx.cache.take(`sign-in-sends:${clientAddress}`, 3600, SIGN_IN_SENDS_PER_ADDRESS_PER_HOUR);
  if (!slot) throw new OAuthError(429, 'temporarily_unavailable', 3600);
  const opened = await openRequest(ctx, request.merchant, carrier, {
    flow: 'authorization_code',
    phone_number: phoneNumber,
    scopes: request.scopes,
    auth_req_digest: null,
    redirect_uri: request.redirectUri,
    state: request.state ?? null,
    code_challenge: request.codeChallenge,
  }).catch(async (error: unknown) => {
    await ctx.cache.giveBack(slot);
    throw error;
  });
  return { path: opened.path, browserKey: browserKeyOf(ctx, opened.pageToken) };
}

/** The cookie value that binds an authorization-code approval page to the browser that started it. */
function browserKeyOf(ctx: Context, pageToken: string): string {
  return keyedDigest(ctx.keys.tokens, `approval-browser:${pageToken}`).toString('base64url');
}

/** Whether a request may be answered from this browser: a CIBA one anywhere, a code-flow one where it started. */
export function answerableHere(ctx: Context, request: AuthorizationRequestRecord, pageToken: string, cookie?: string) {
  return request.flow === 'ciba' || secretsEqual(cookie ?? '', browserKeyOf(ctx, pageToken));
}

/**
 * Writes the request and texts the code (with the approval page's link for CIBA, where the phone
 * user is not on our page yet), within the limits of payment codes (per number an hour, per
 * merchant a minute) but on counters of their own. Answers the page's path and its secret.
 */
async function openRequest(
  ctx: Context,
  merchant: MerchantRecord,
  carrier: RoutedCarrier,
  r: Pick<
    AuthorizationRequestRecord,
    'flow' | 'phone_number' | 'scopes' | 'redirect_uri' | 'state' | 'code_challenge'
  > & { auth_req_digest: Buffer | null },
): Promise<{ path: string; pageToken: string }> {
  const send = await reserveCodeSend(ctx, r.phone_number, { id: merchant.id, limits: limitsOf(merchant) }, 'approval');
  if (!send) throw new OAuthError(429, 'temporarily_unavailable', 60);
  const id = randomId('authreq_');
  const code = newOtpCode();
  const pageToken = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const ttl = ctx.config.otp.ttlSeconds;
  try {
    await ctx.store.grants.recordRequest({
      ...r,
      id,
      merchant_id: merchant.id,
      page_digest: pageDigest(ctx, pageToken),
      otp_digest: codeDigest(ctx, id, code),
      expires_at: new Date(now.getTime() + ttl * 1000),
      next_poll_at: null,
      created_at: now,
    });
  } catch (error) {
    await send.giveBack();
    throw error;
  }
  const path = `/oauth/approve/${pageToken}`;
  const text = approvalText({
    merchantName: merchant.name,
    abilities: abilitiesOf(r.scopes),
    code,
    ...(r.flow === 'ciba' ? { link: `${ctx.config.publicUrl ?? ''}${path}` } : {}),
    validMinutes: Math.max(1, Math.round(ttl / 60)),
  });
  const sent = await textPhoneUser(ctx, carrier.config.id, r.phone_number, text, 'authorization_code', {
    authorizationRequest: id,
  });
  if (sent?.kind !== 'succeeded' && sent?.kind !== 'unknown') {
    // Nobody can approve a request whose code never went out: end it now.
    await ctx.store.grants.deny(id);
    throw new OAuthError(503, 'temporarily_unavailable', 5);
  }
  return { path, pageToken };
}

const pageDigest = (ctx: Context, pageToken: string) => keyedDigest(ctx.keys.tokens, `approval-page:${pageToken}`);
const codeDigest = (ctx: Context, requestId: string, code: string) =>
  keyedDigest(ctx.keys.otp, `authorization:${requestId}:${code}`);

const PAGE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The request behind an approval page's link, or undefined for a wrong one. Unknown links are
 * braked per client address, as the payment page's are.
 */
export async function approvalRequest(
  ctx: Context,
  pageToken: string,
  clientAddress: string,
): Promise<AuthorizationRequestRecord | undefined> {
  return braked(
    ctx,
    `page-misses:${clientAddress}`,
    ctx.config.giftCertificates.failedAttemptsPerMinute,
    async () =>
      PAGE_TOKEN.test(pageToken) ? ctx.store.grants.findRequestByPage(pageDigest(ctx, pageToken)) : undefined,
    () =>
      new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many unknown links; try again in a minute.', GUARD_WINDOW_SECONDS),
  );
}

export function stillOpen(ctx: Context, request: AuthorizationRequestRecord): boolean {
  return request.status === 'pending' && request.expires_at > ctx.clock.now();
}

export type ApprovalOutcome =
  | { kind: 'approved'; grant: GrantRecord; redirect?: string }
  | { kind: 'denied'; redirect?: string }
  | { kind: 'wrong_code'; attemptsLeft: number }
  | { kind: 'closed' };

/**
 * The phone user's answer on the approval page. A right code in time approves: the grant is
 * written (and, for the code flow, an authorization code to send back). Wrong codes count as a
 * payment's do: the last allowed one denies the request.
 */
export async function answerApproval(
  ctx: Context,
  request: AuthorizationRequestRecord,
  answer: { approve: true; code: string } | { approve: false },
  clientAddress: string,
): Promise<ApprovalOutcome> {
  if (!stillOpen(ctx, request)) return { kind: 'closed' };
  if (!answer.approve || !(await stillAllowed(ctx, request))) {
    if (!(await ctx.store.grants.deny(request.id))) return { kind: 'closed' };
    return { kind: 'denied', redirect: backWithError(request) };
  }
  // Codes are guessed as a payment's are: braked per address across requests, and watched per merchant.
  await admitValidation(ctx, request.merchant_id);
  const right = await braked(
    ctx,
    `approval-code-failures:${clientAddress}`,
    ctx.config.giftCertificates.failedAttemptsPerMinute,
    async () => secretsEqual(codeDigest(ctx, request.id, answer.code.trim()), request.otp_digest) || undefined,
    () => new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many wrong codes; try again in a minute.', GUARD_WINDOW_SECONDS),
  );
  await recordValidation(ctx, request.merchant_id, right ? 'right' : 'wrong');
  if (!right) {
    const maxAttempts = ctx.config.otp.maxAttempts;
    const failures = await ctx.store.grants.recordWrongCode(request.id, maxAttempts);
    ctx.metrics.validationFailed(
      failures !== undefined && failures >= maxAttempts ? 'attempts_exhausted' : 'wrong_code',
    );
    if (failures === undefined) return { kind: 'closed' };
    if (failures >= maxAttempts) return { kind: 'denied', redirect: backWithError(request) };
    return { kind: 'wrong_code', attemptsLeft: maxAttempts - failures };
  }
  const now = ctx.clock.now();
  const code = request.flow === 'authorization_code' ? randomBytes(32).toString('base64url') : undefined;
  const issued = code === undefined ? undefined : { code, digest: authorizationCodeDigest(ctx, code) };
  const grant = await ctx.store.grants.approve(
    request.id,
    {
      id: randomId('grant_'),
      merchant_id: request.merchant_id,
      phone_number: request.phone_number,
      scopes: request.scopes,
      flow: request.flow,
      created_at: now,
    },
    issued && { digest: issued.digest, expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_SECONDS * 1000) },
  );
  if (!grant) return { kind: 'closed' };
  return { kind: 'approved', grant, redirect: issued && backTo(request, { code: issued.code }) };
}

/** The merchant may still be granted this: not stopped, and (code flow) the return address still registered. */
async function stillAllowed(ctx: Context, request: AuthorizationRequestRecord): Promise<boolean> {
  const merchant = await ctx.store.merchants.find(request.merchant_id);
  if (!merchant || merchant.disabled_at) return false;
  return request.redirect_uri === null || merchant.redirect_uris.includes(request.redirect_uri);
}

export const authorizationCodeDigest = (ctx: Context, code: string) =>
  keyedDigest(ctx.keys.tokens, `authorization-code:${code}`);

/** The merchant's redirect_uri with the answer (and the merchant's state) added to its query. */
function backTo(request: AuthorizationRequestRecord, answer: Record<string, string>): string | undefined {
  if (!request.redirect_uri) return undefined;
  const url = new URL(request.redirect_uri);
  for (const [name, value] of Object.entries(answer)) url.searchParams.set(name, value);
  if (request.state !== null) url.searchParams.set('state', request.state);
  return url.toString();
}

function backWithError(request: AuthorizationRequestRecord): string | undefined {
  return backTo(request, { error: 'access_denied' });
}
