import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  http,
  inbox,
  latestCode,
  newMerchant,
  phoneNumber,
  prepareBody,
  type Body,
  type Merchant,
} from '../helpers/client.js';
import { runCli } from '../helpers/cli.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sleep } from '../helpers/wait.js';

/**
 * Issue 15, part 2: three-legged access (CONTRACTS §1b). The phone user approves a merchant with
 * the SMS code on our page, by CIBA or by the authorization code flow with PKCE; the token then
 * identifies the number: requests must not name one, and see only that number's payments.
 */
let gw: TestGateway;
let shop: Merchant;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;
const CALLBACK = 'https://shop.example/callback';
const CAMARA_SCOPES = 'carrier-billing:payments:create carrier-billing:payments:read carrier-billing:payments:write';

beforeAll(async () => {
  gw = await startTestGateway({ oauth: { cibaPollIntervalSeconds: 1 } });
  shop = await newMerchant(gw, { name: 'Three Leg Shop' });
  const patched = await http('PATCH', `${gw.url}/admin/v1/merchants/${shop.merchantId}`, {
    token: gw.operatorToken,
    body: { redirectUris: [CALLBACK] },
  });
  expect(patched.status).toBe(200);
});
afterAll(async () => gw?.stop());

/** A form post to an OAuth endpoint with the shop's client credentials. */
function oauth(path: string, fields: Record<string, string>, client: Merchant = shop, on: TestGateway = gw) {
  return http('POST', `${on.url}${path}`, {
    raw: new URLSearchParams(fields).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
  });
}

/** A page of ours, as a browser without JavaScript would send it (with `cookie`); redirects are not followed. */
async function browse(path: string, form?: Record<string, string>, cookie = '', on: TestGateway = gw) {
  const response = await fetch(path.startsWith('http') ? path : `${on.url}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return {
    status: response.status,
    location: response.headers.get('location') ?? '',
    headers: response.headers,
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    html: await response.text(),
  };
}

/** The approval page's path from the latest SMS to a number. */
async function approvalLink(phone: string, on: TestGateway = gw): Promise<string> {
  const text = (await inbox(on, phone)).at(-1)?.text ?? '';
  const link = /(\/oauth\/approve\/[A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!link) throw new Error(`no approval link in: ${text}`);
  return link;
}

/** CIBA from the request to the token, the phone user approving on the page. */
async function cibaToken(phone: string, scope = `openid ${CAMARA_SCOPES}`): Promise<string> {
  const started = await oauth('/oauth/bc-authorize', { login_hint: `tel:${phone}`, scope });
  expect(started.status).toBe(200);
  const approved = await browse(await approvalLink(phone), { decision: 'approve', code: await latestCode(gw, phone) });
  expect(approved.status).toBe(303);
  await sleep(1_000);
  const token = await oauth('/oauth/token', {
    grant_type: 'urn:openid:params:grant-type:ciba',
    auth_req_id: String(started.body.auth_req_id),
  });
  expect(token.status).toBe(200);
  return String(token.body.access_token);
}

function withoutNumber(body: ReturnType<typeof prepareBody>) {
  const amountTransaction: Partial<typeof body.amountTransaction> = { ...body.amountTransaction };
  delete amountTransaction.phoneNumber;
  return { ...body, amountTransaction };
}

describe('CIBA', () => {
  it('pending until the phone user approves with the SMS code on the page, then one token for the number', async () => {
    const phone = phoneNumber(1);
    const started = await oauth('/oauth/bc-authorize', {
      login_hint: `tel:${phone}`,
      scope: `openid ${CAMARA_SCOPES}`,
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ expires_in: expect.any(Number), interval: 1 });
    const poll = () =>
      oauth('/oauth/token', {
        grant_type: 'urn:openid:params:grant-type:ciba',
        auth_req_id: String(started.body.auth_req_id),
      });
    expect((await poll()).body.error).toBe('authorization_pending');
    expect((await poll()).body.error).toBe('slow_down');

    const link = await approvalLink(phone);
    const page = await browse(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Three Leg Shop');
    expect(page.html).toContain('bill purchases to your phone bill');
    const wrong = await browse(link, {
      decision: 'approve',
      code: '000000' === (await latestCode(gw, phone)) ? '111111' : '000000',
    });
    expect(wrong.html).toContain('attempt(s) left');
    const right = await browse(link, { decision: 'approve', code: await latestCode(gw, phone) });
    expect(right).toMatchObject({ status: 303, location: link });
    expect((await browse(link)).html).toContain('You allowed Three Leg Shop');

    await sleep(1_000);
    const token = await poll();
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe(`openid ${CAMARA_SCOPES}`);
    // One approval, one token.
    await sleep(1_000);
    expect((await poll()).body.error).toBe('invalid_grant');
  });

  it('a refusal on the page is access_denied; a number no carrier serves or a scope without openid is refused at once', async () => {
    const phone = phoneNumber(2);
    const started = await oauth('/oauth/bc-authorize', {
      login_hint: `tel:${phone}`,
      scope: `openid ${CAMARA_SCOPES}`,
    });
    expect((await browse(await approvalLink(phone), { decision: 'deny' })).status).toBe(303);
    const poll = await oauth('/oauth/token', {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: String(started.body.auth_req_id),
    });
    expect(poll.body.error).toBe('access_denied');

    const outside = await oauth('/oauth/bc-authorize', {
      login_hint: 'tel:+14155550100',
      scope: `openid ${CAMARA_SCOPES}`,
    });
    expect(outside).toMatchObject({ status: 400, body: { error: 'unknown_user_id' } });
    const plain = phoneNumber(1);
    const noOpenId = await oauth('/oauth/bc-authorize', { login_hint: `tel:${plain}`, scope: CAMARA_SCOPES });
    expect(noOpenId).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const giftCodes = await oauth('/oauth/bc-authorize', {
      login_hint: `tel:${plain}`,
      scope: 'openid gift-certificates:read',
    });
    expect(giftCodes.body.error).toBe('invalid_scope');
    expect(await inbox(gw, plain)).toHaveLength(0);
  });

  it('two exchanges of one approval at once get one token', async () => {
    const phone = phoneNumber(1);
    const started = await oauth('/oauth/bc-authorize', {
      login_hint: `tel:${phone}`,
      scope: `openid ${CAMARA_SCOPES}`,
    });
    await browse(await approvalLink(phone), { decision: 'approve', code: await latestCode(gw, phone) });
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        oauth('/oauth/token', {
          grant_type: 'urn:openid:params:grant-type:ciba',
          auth_req_id: String(started.body.auth_req_id),
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe('a three-legged token', () => {
  it('identifies the number: naming one is UNNECESSARY_IDENTIFIER, and only its payments are seen', async () => {
    const phone = phoneNumber(1);
    const other = phoneNumber(1);
    const token = await cibaToken(phone);

    const named = await http('POST', `${PAY()}/prepare`, { token, body: prepareBody(phone) });
    expect(named.body).toMatchObject({ status: 422, code: 'UNNECESSARY_IDENTIFIER' });

    const prepared = await http('POST', `${PAY()}/prepare`, { token, body: withoutNumber(prepareBody(phone)) });
    expect(prepared.status).toBe(201);
    // CAMARA's answer always carries the number (its schema requires it): the token's.
    expect(prepared.body.amountTransaction?.phoneNumber).toBe(phone);
    const id = String(prepared.body.paymentId);
    await http('POST', `${PAY()}/${id}/validate`, {
      token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    const confirmNamed = await http('POST', `${PAY()}/${id}/confirm`, { token, body: { phoneNumber: phone } });
    expect(confirmNamed.body).toMatchObject({ status: 422, code: 'UNNECESSARY_IDENTIFIER' });
    expect((await http('POST', `${PAY()}/${id}/confirm`, { token, body: {} })).status).toBe(202);

    // The same merchant's two-legged payment for another number is not this token's to see.
    const elsewhere = await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(other) });
    expect((await http('GET', `${PAY()}/${String(elsewhere.body.paymentId)}`, { token })).status).toBe(404);
    const listed = await http<Body[]>('GET', PAY(), { token });
    expect(listed.body.map((p) => p.paymentId)).toEqual([id]);
    expect((await http<Body[]>('GET', PAY(), { token: shop.token })).body.map((p) => p.paymentId)).toContain(
      elsewhere.body.paymentId,
    );
  });

  it("does not answer another number's payment to a request that repeats its clientCorrelator", async () => {
    const [first, second] = [phoneNumber(1), phoneNumber(2)];
    const [tokenA, tokenB] = [await cibaToken(first), await cibaToken(second)];
    const body = withoutNumber(prepareBody(first));
    const mine = await http('POST', `${PAY()}/prepare`, { token: tokenA, body });
    expect(mine.status).toBe(201);
    const theirs = await http('POST', `${PAY()}/prepare`, { token: tokenB, body });
    expect(theirs.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(JSON.stringify(theirs.body)).not.toContain(first);
  });

  it('answers 401 at once after an operator revokes its grant, and the grant says who revoked it', async () => {
    const phone = phoneNumber(2);
    const token = await cibaToken(phone);
    expect((await http('GET', PAY(), { token })).status).toBe(200);
    const [grant] = (
      await http<Body[]>('GET', `${gw.url}/admin/v1/grants?phoneNumber=${encodeURIComponent(phone)}`, {
        token: gw.operatorToken,
      })
    ).body;
    expect(grant).toMatchObject({ merchantId: shop.merchantId, phoneNumber: phone, flow: 'ciba' });
    const revoked = await http('POST', `${gw.url}/admin/v1/grants/${String(grant?.grantId)}/revoke`, {
      token: gw.operatorToken,
    });
    expect(revoked.body).toMatchObject({ revokedBy: expect.stringMatching(/^(operator|cli|setup):/) });
    expect((await http('GET', PAY(), { token })).status).toBe(401);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('grants from the command line', () => {
  it("lists a number's grants and revokes one; its token stops on the running gateway", async () => {
    const phone = phoneNumber(1);
    const token = await cibaToken(phone);
    const listed = (await runCli(gw, 'grants', 'list', '--phone', phone, '--json')) as unknown as Body[];
    expect(listed).toHaveLength(1);
    const revoked = await runCli(gw, 'grants', 'revoke', String(listed[0]?.grantId), '--json');
    expect(revoked.revokedBy).toMatch(/^cli:/);
    expect((await http('GET', PAY(), { token })).status).toBe(401);
  });
});

describe('authorization code with PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      response_type: 'code',
      client_id: shop.clientId,
      redirect_uri: CALLBACK,
      scope: `openid ${CAMARA_SCOPES}`,
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });

  /** Number typed on our page: the approval page's path, and the cookie of the browser that started. */
  async function startSignIn(phone: string) {
    const start = await browse(`/oauth/authorize?${authorize().toString()}`);
    expect(start.status).toBe(200);
    const sent = await browse('/oauth/authorize', { ...Object.fromEntries(authorize()), phoneNumber: phone });
    expect(sent.status).toBe(303);
    return { link: sent.location, cookie: sent.cookie };
  }

  /** The phone user's way through our pages: number, code, back to the merchant with a code. */
  async function signIn(phone: string): Promise<URL> {
    const { link, cookie } = await startSignIn(phone);
    const page = await browse(link, undefined, cookie);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://shop.example");
    // The user is on our page already: the SMS has the code and no link.
    expect((await inbox(gw, phone)).at(-1)?.text).not.toContain('/oauth/approve/');
    const back = await browse(link, { decision: 'approve', code: await latestCode(gw, phone) }, cookie);
    expect(back.status).toBe(303);
    return new URL(back.location);
  }

  it('sends the phone user back with a code that, with the verifier, gives one token; a replayed code revokes it', async () => {
    const phone = phoneNumber(1);
    const back = await signIn(phone);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code') ?? '';
    const exchange = (codeVerifier: string) =>
      oauth('/oauth/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: codeVerifier,
      });

    expect((await exchange(randomBytes(32).toString('base64url'))).body.error).toBe('invalid_grant');
    const token = await exchange(verifier);
    expect(token.status).toBe(200);
    const bearer = String(token.body.access_token);
    expect((await http('GET', PAY(), { token: bearer })).status).toBe(200);

    expect((await exchange(verifier)).body.error).toBe('invalid_grant');
    expect((await http('GET', PAY(), { token: bearer })).status).toBe(401);
  });

  it('shows an error and sends nobody anywhere for a redirect_uri the merchant did not register', async () => {
    const page = await browse(
      `/oauth/authorize?${authorize({ redirect_uri: 'https://evil.example/steal' }).toString()}`,
    );
    expect(page.status).toBe(400);
    expect(page.location).toBe('');
  });

  it('sends a request without PKCE back with invalid_request, before any SMS', async () => {
    const page = await browse(`/oauth/authorize?${authorize({ code_challenge_method: 'plain' }).toString()}`);
    expect(page.status).toBe(303);
    const back = new URL(page.location);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('xyz');
  });

  it("cannot be approved from another browser: an attacker's request, posted from the victim's, is refused", async () => {
    // The attacker starts a sign-in with their own number and gets the code; the victim's browser has no cookie.
    const attacker = phoneNumber(1);
    const { link } = await startSignIn(attacker);
    const forged = await browse(link, { decision: 'approve', code: await latestCode(gw, attacker) });
    expect(forged.status).toBe(403);
    expect(forged.location).toBe('');
    expect((await browse(link)).html).not.toContain('You allowed');
  });

  it("another merchant's client cannot exchange the code", async () => {
    const phone = phoneNumber(2);
    const code = (await signIn(phone)).searchParams.get('code') ?? '';
    const thief = await newMerchant(gw, { name: 'Thief Shop' });
    const stolen = await oauth(
      '/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
      thief,
    );
    expect(stolen.body.error).toBe('invalid_grant');
  });
});

describe("limits of the phone user's pages", () => {
  let own: TestGateway;
  let merchant: Merchant;
  beforeAll(async () => {
    own = await startTestGateway({ giftCertificates: { validityDays: 365, failedAttemptsPerMinute: 3 } });
    merchant = await newMerchant(own, { name: 'Limits Shop' });
    await http('PATCH', `${own.url}/admin/v1/merchants/${merchant.merchantId}`, {
      token: own.operatorToken,
      body: { redirectUris: [CALLBACK] },
    });
  });
  afterAll(async () => own?.stop());

  it("the hosted sign-in sends at most the number's approval codes, and never uses up its payment codes", async () => {
    const victim = phoneNumber(1);
    const fields = {
      response_type: 'code',
      client_id: merchant.clientId,
      redirect_uri: CALLBACK,
      scope: `openid ${CAMARA_SCOPES}`,
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
      phoneNumber: victim,
    };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await browse('/oauth/authorize', fields, '', own)).status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(await inbox(own, victim)).toHaveLength(10);
    // The number's payment codes are counted apart: a purchase still gets its code.
    const prepared = await http('POST', `${own.url}/carrier-billing/v0.5/payments/prepare`, {
      token: merchant.token,
      body: prepareBody(victim),
    });
    expect(prepared.status).toBe(201);
    expect(await inbox(own, victim)).toHaveLength(11);
  });

  it('wrong approval codes are braked per address across requests', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const phone = phoneNumber(2);
      const started = await oauth(
        '/oauth/bc-authorize',
        { login_hint: `tel:${phone}`, scope: `openid ${CAMARA_SCOPES}` },
        merchant,
        own,
      );
      expect(started.status).toBe(200);
      const link = await approvalLink(phone, own);
      const wrong = (await latestCode(own, phone)) === '000000' ? '111111' : '000000';
      for (let j = 0; j < 2; j++)
        statuses.push((await browse(link, { decision: 'approve', code: wrong }, '', own)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
