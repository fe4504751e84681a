import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, http, newMerchant, phoneNumber, prepareBody, tokenFor, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let shop: Merchant;
let readOnlyToken: string;
let paymentId: string;
let paymentPhone: string;

const TABLES = ['merchants', 'access_tokens', 'payments', 'carrier_operations', 'gift_certificates', 'audit_events'];

async function rowCounts(): Promise<Record<string, bigint>> {
  const counts: Record<string, bigint> = {};
  for (const table of TABLES)
    counts[table] = (await gw.database.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? -1n;
  return counts;
}

beforeAll(async () => {
  gw = await startTestGateway();
  shop = await newMerchant(gw, { name: 'Strict Shop', oneStepPayments: true });
  readOnlyToken = await tokenFor(gw, shop.clientId, shop.clientSecret, 'carrier-billing:payments:read');
  paymentPhone = phoneNumber(1);
  const prepared = await http('POST', `${api(gw)}/payments/prepare`, {
    token: shop.token,
    body: prepareBody(paymentPhone),
  });
  paymentId = prepared.body.paymentId as string;
});
afterAll(async () => gw?.stop());

type Who = 'merchant' | 'operator' | 'none' | 'read-only' | 'bogus';
interface Case {
  name: string;
  method: 'GET' | 'POST';
  path: string | (() => string);
  who?: Who;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const PAY = '/carrier-billing/v0.5/payments';
const valid = () => prepareBody(phoneNumber(1));
const withCharging = (patch: Record<string, unknown>) => {
  const body = valid();
  Object.assign(body.amountTransaction.paymentAmount.chargingInformation, patch);
  return body;
};
const withPhone = (phone: unknown) => {
  const body: { amountTransaction: Record<string, unknown> } = valid();
  if (phone === undefined) delete body.amountTransaction.phoneNumber;
  else body.amountTransaction.phoneNumber = phone;
  return body;
};
const huge = 'x'.repeat(200_000);

const PAYMENT_BODY_CASES: Array<Omit<Case, 'method' | 'path'>> = [
  {
    name: 'malformed JSON',
    raw: '{"amountTransaction":',
    headers: { 'content-type': 'application/json' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'not JSON at all',
    raw: 'amount=1500',
    headers: { 'content-type': 'text/plain' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'an array body', body: [], status: 400, code: 'INVALID_ARGUMENT' },
  {
    name: 'a JSON string body',
    raw: '"hello"',
    headers: { 'content-type': 'application/json' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'missing amountTransaction', body: {}, status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'amount as a string', body: withCharging({ amount: '1500' }), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'negative amount', body: withCharging({ amount: -1500 }), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'zero amount', body: withCharging({ amount: 0 }), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'fractional KRW', body: withCharging({ amount: 1500.5 }), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'absurd amount', body: withCharging({ amount: 1e300 }), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'unsupported currency', body: withCharging({ currency: 'XYZ' }), status: 400, code: 'INVALID_ARGUMENT' },
  {
    name: 'known but unauthorised currency',
    body: withCharging({ currency: 'USD', amount: 1.5 }),
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'lowercase currency', body: withCharging({ currency: 'krw' }), status: 400, code: 'INVALID_ARGUMENT' },
  {
    name: 'SQL in the currency',
    body: withCharging({ currency: "KRW'; DROP TABLE payments;--" }),
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'a NUL byte in the description',
    body: withCharging({ description: 'gift\u0000card' }),
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'a NUL byte in the referenceCode',
    body: { amountTransaction: { ...valid().amountTransaction, referenceCode: 'ref\u0000' } },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'a NUL byte in the clientCorrelator',
    body: { amountTransaction: { ...valid().amountTransaction, clientCorrelator: '\u0000' } },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'empty description', body: withCharging({ description: '' }), status: 400, code: 'INVALID_ARGUMENT' },
  // Smishing under the carrier's sender name (security finding 10): the SMS carries product names only.
  ...[
    'Prize! Claim at https://evil.example',
    'Win at bit.ly/x',
    'Questions? Call 1588-1234',
    'Trial, you will not be charged',
  ].map((description) => ({
    name: `a consent SMS description "${description}"`,
    body: withCharging({ description }),
    status: 400,
    code: 'INVALID_ARGUMENT',
  })),
  {
    name: 'description as an object',
    body: withCharging({ description: { text: 'x' } }),
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'a huge body', body: withCharging({ description: huge }), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'phone without +', body: withPhone('01012345678'), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'phone with SQL', body: withPhone("+8210'; DROP TABLE payments;--"), status: 400, code: 'INVALID_ARGUMENT' },
  { name: 'phone as a number', body: withPhone(821012345678), status: 400, code: 'INVALID_ARGUMENT' },
  {
    name: 'pattern-valid number that is no phone number',
    body: withPhone('+99912345678'),
    status: 404,
    code: 'IDENTIFIER_NOT_FOUND',
  },
  {
    name: 'real number no carrier serves',
    body: withPhone('+14155552671'),
    status: 422,
    code: 'SERVICE_NOT_APPLICABLE',
  },
  { name: 'missing phone number', body: withPhone(undefined), status: 422, code: 'MISSING_IDENTIFIER' },
  {
    name: 'missing referenceCode',
    body: { amountTransaction: { ...valid().amountTransaction, referenceCode: undefined } },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'referenceCode as a number',
    body: { amountTransaction: { ...valid().amountTransaction, referenceCode: 7 } },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'plain http sink',
    body: { ...valid(), sink: 'http://merchant.example/cb' },
    status: 400,
    code: 'INVALID_SINK',
  },
  {
    // CAMARA prepare_payment_400.06_invalid_sink / create_payment_400.06_invalid_sink.
    name: 'a sink that is no URL',
    body: { ...valid(), sink: 'not a url' },
    status: 400,
    code: 'INVALID_SINK',
  },
  {
    name: 'a sink on a private address',
    body: { ...valid(), sink: 'https://169.254.169.254/latest' },
    status: 400,
    code: 'INVALID_SINK',
  },
  {
    name: 'a sink on localhost',
    body: { ...valid(), sink: 'https://localhost:8443/cb' },
    status: 400,
    code: 'INVALID_SINK',
  },
  {
    name: 'plain sink credential',
    body: {
      ...valid(),
      sink: 'https://merchant.example/cb',
      sinkCredential: { credentialType: 'PLAIN', identifier: 'a', secret: 'b' },
    },
    status: 400,
    code: 'INVALID_CREDENTIAL',
  },
  { name: 'no token', who: 'none', body: valid(), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a made-up token', who: 'bogus', body: valid(), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token without the create scope', who: 'read-only', body: valid(), status: 403, code: 'PERMISSION_DENIED' },
  {
    name: 'a bad x-correlator',
    body: valid(),
    headers: { 'x-correlator': 'spaces are not allowed' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
];

const CASES: Case[] = [
  ...PAYMENT_BODY_CASES.map((c) => ({ ...c, method: 'POST' as const, path: `${PAY}/prepare` })),
  ...PAYMENT_BODY_CASES.map((c) => ({ ...c, name: `createPayment: ${c.name}`, method: 'POST' as const, path: PAY })),
  {
    name: 'validate without code',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/validate`,
    body: { authorizationId: 'x' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'validate with a numeric code',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/validate`,
    body: { authorizationId: 'x', code: 123456 },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'validate malformed JSON',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/validate`,
    raw: '{',
    headers: { 'content-type': 'application/json' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'validate an unknown payment',
    method: 'POST',
    path: `${PAY}/pay_unknown/validate`,
    body: { authorizationId: 'x', code: '123456' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'validate a payment id with SQL',
    method: 'POST',
    path: `${PAY}/${encodeURIComponent("' OR 1=1--")}/validate`,
    body: { authorizationId: 'x', code: '1' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'validate with a read-only token',
    method: 'POST',
    who: 'read-only',
    path: () => `${PAY}/${paymentId}/validate`,
    body: { authorizationId: 'x', code: '1' },
    status: 403,
    code: 'PERMISSION_DENIED',
  },
  {
    name: 'confirm without phone number',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/confirm`,
    body: {},
    status: 422,
    code: 'MISSING_IDENTIFIER',
  },
  {
    name: 'confirm with a bad phone number',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/confirm`,
    body: { phoneNumber: 'not a number' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  // CAMARA confirm_payment_400.01 / cancel_payment_400.01: no body is not an empty object.
  ...(['confirm', 'cancel'] as const).flatMap((step) => [
    {
      name: `${step} without any body`,
      method: 'POST' as const,
      path: () => `${PAY}/${paymentId}/${step}`,
      status: 400,
      code: 'INVALID_ARGUMENT',
    },
    {
      // C02.02: the pattern's, but no phone number (no country +999).
      name: `${step} with a number that is no phone number`,
      method: 'POST' as const,
      path: () => `${PAY}/${paymentId}/${step}`,
      body: { phoneNumber: '+99912345678' },
      status: 404,
      code: 'IDENTIFIER_NOT_FOUND',
    },
    {
      // C02.05: a real number no carrier of the gateway serves.
      name: `${step} with a number no carrier here serves`,
      method: 'POST' as const,
      path: () => `${PAY}/${paymentId}/${step}`,
      body: { phoneNumber: '+14155552671' },
      status: 422,
      code: 'SERVICE_NOT_APPLICABLE',
    },
  ]),
  {
    name: 'confirm an unknown payment',
    method: 'POST',
    path: `${PAY}/pay_nope/confirm`,
    body: { phoneNumber: '+821012345678' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'cancel without phone number',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/cancel`,
    body: {},
    status: 422,
    code: 'MISSING_IDENTIFIER',
  },
  {
    name: 'cancel with an array body',
    method: 'POST',
    path: () => `${PAY}/${paymentId}/cancel`,
    body: [1, 2],
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'resend for an unknown payment',
    method: 'POST',
    path: `${PAY}/pay_nope/resend-code`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'list with a non-numeric page',
    method: 'GET',
    path: `${PAY}?page=abc`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'list with a negative perPage',
    method: 'GET',
    path: `${PAY}?perPage=-1`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'list with page zero', method: 'GET', path: `${PAY}?page=0`, status: 400, code: 'OUT_OF_RANGE' },
  // Deep OFFSETs make the database walk every row before the page (security finding 13).
  {
    name: 'list paged past 10,000 rows',
    method: 'GET',
    path: `${PAY}?page=102&perPage=100`,
    status: 400,
    code: 'OUT_OF_RANGE',
  },
  {
    name: 'list with a strange order',
    method: 'GET',
    path: `${PAY}?order=sideways`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'list with an unknown status',
    method: 'GET',
    path: `${PAY}?paymentStatus=bogus`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'list with a date without time zone',
    method: 'GET',
    path: `${PAY}?paymentCreationDate.gte=2026-01-01T00:00:00`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'list with SQL in a filter',
    method: 'GET',
    path: `${PAY}?merchantIdentifier=${encodeURIComponent("x' OR '1'='1")}&order=${encodeURIComponent('asc; DROP TABLE payments')}`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'retrieve an unknown payment', method: 'GET', path: `${PAY}/pay_missing`, status: 404, code: 'NOT_FOUND' },
  {
    name: 'retrieve without a token',
    method: 'GET',
    who: 'none',
    path: () => `${PAY}/${paymentId}`,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a malformed escape in the path',
    method: 'GET',
    path: `${PAY}/%E0%A4%A`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  { name: 'a NUL byte in a payment id', method: 'GET', path: `${PAY}/%00`, status: 404, code: 'NOT_FOUND' },
  {
    name: 'a NUL byte in a validated payment id',
    method: 'POST',
    path: `${PAY}/%00/validate`,
    body: { authorizationId: 'x', code: '1' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a NUL byte in a list filter',
    method: 'GET',
    path: `${PAY}?merchantIdentifier=%00`,
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'a NUL byte in a certificate query',
    method: 'GET',
    path: '/gift-certificates/v1/certificates?paymentId=%00',
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'a NUL byte in a certificate id',
    method: 'GET',
    path: '/gift-certificates/v1/certificates/%00',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a NUL byte in a merchant name',
    method: 'POST',
    who: 'operator',
    path: '/admin/v1/merchants',
    body: { name: 'a\u0000b' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'an unknown endpoint',
    method: 'GET',
    path: '/carrier-billing/v0.5/nothing-here',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'certificates without paymentId',
    method: 'GET',
    path: '/gift-certificates/v1/certificates',
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'an unknown certificate',
    method: 'GET',
    path: '/gift-certificates/v1/certificates/gc_nope',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'operator API without token',
    method: 'GET',
    who: 'none',
    path: '/admin/v1/merchants',
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'operator API with a merchant token',
    method: 'GET',
    who: 'merchant',
    path: '/admin/v1/merchants',
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'merchant without name',
    method: 'POST',
    who: 'operator',
    path: '/admin/v1/merchants',
    body: {},
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'merchant name as a number',
    method: 'POST',
    who: 'operator',
    path: '/admin/v1/merchants',
    body: { name: 42 },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'merchant with an unknown scope',
    method: 'POST',
    who: 'operator',
    path: '/admin/v1/merchants',
    body: { name: 'X', scopes: ['root'] },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'merchant with a bad validation mode',
    method: 'POST',
    who: 'operator',
    path: '/admin/v1/merchants',
    body: { name: 'X', validationMode: 'maybe' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'merchant from malformed JSON',
    method: 'POST',
    who: 'operator',
    path: '/admin/v1/merchants',
    raw: '{"name":',
    headers: { 'content-type': 'application/json' },
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
  {
    name: 'an unknown merchant',
    method: 'GET',
    who: 'operator',
    path: '/admin/v1/merchants/mer_nope',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'operator payment search with a bad phone',
    method: 'GET',
    who: 'operator',
    path: '/admin/v1/payments?phoneNumber=123',
    status: 400,
    code: 'INVALID_ARGUMENT',
  },
];

describe('bad input on every endpoint', () => {
  it('gets the right 4xx CAMARA error, never a 5xx, and writes nothing', async () => {
    const before = await rowCounts();
    const failures: string[] = [];
    for (const c of CASES) {
      const token = {
        merchant: shop.token,
        operator: gw.operatorToken,
        none: undefined,
        'read-only': readOnlyToken,
        bogus: 'not-a-token',
      }[c.who ?? (c.path.toString().includes('/admin/') ? 'operator' : 'merchant')];
      const path = typeof c.path === 'function' ? c.path() : c.path;
      const reply = await http(c.method, `${gw.url}${path}`, { token, body: c.body, raw: c.raw, headers: c.headers });
      const got = `${reply.status} ${reply.body?.code ?? JSON.stringify(reply.body)}`;
      if (
        reply.status !== c.status ||
        reply.body?.code !== c.code ||
        reply.body?.status !== c.status ||
        typeof reply.body?.message !== 'string'
      ) {
        failures.push(`${c.name}: expected ${c.status} ${c.code}, got ${got}`);
      }
      if (JSON.stringify(reply.body).match(/at .+\.ts:\d+|Error:|node_modules|SELECT|soap:/))
        failures.push(`${c.name}: leaks internals: ${JSON.stringify(reply.body)}`);
    }
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it('OAuth errors use the RFC 6749 body and issue no token', async () => {
    const before = await rowCounts();
    const post = (body: string, auth?: string) =>
      http('POST', `${gw.url}/oauth/token`, {
        raw: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
      });
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    expect((await post('')).body).toEqual({ error: 'invalid_request' });
    expect((await post('grant_type=password', basic(shop.clientId, shop.clientSecret))).body).toEqual({
      error: 'unsupported_grant_type',
    });
    const wrongSecret = await post('grant_type=client_credentials', basic(shop.clientId, 'wrong'));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: 'invalid_client' });
    expect((await post(`grant_type=client_credentials&client_id=nobody&client_secret=x`)).status).toBe(401);
    expect((await post(`grant_type=client_credentials&client_id=%00&client_secret=x`)).body).toEqual({
      error: 'invalid_request',
    });
    expect((await post('grant_type=client_credentials', basic('\u0000', 'x'))).body).toEqual({
      error: 'invalid_client',
    });
    expect(
      (await post('grant_type=client_credentials&scope=admin:everything', basic(shop.clientId, shop.clientSecret)))
        .body,
    ).toEqual({ error: 'invalid_scope' });
    expect(await rowCounts()).toEqual(before);
  });

  it('form fields work as well as HTTP Basic for the client credentials', async () => {
    const reply = await http('POST', `${gw.url}/oauth/token`, {
      raw: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: shop.clientId,
        client_secret: shop.clientSecret,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(reply.body.scope?.split(' ')).toContain('carrier-billing:payments:create');
  });

  it('echoes a valid x-correlator', async () => {
    const reply = await http('GET', `${gw.url}${PAY}/${paymentId}`, {
      token: shop.token,
      headers: { 'x-correlator': 'b4333c46-49c0-4f62-80d7-f0ef930f1c46' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-correlator')).toBe('b4333c46-49c0-4f62-80d7-f0ef930f1c46');
    expect(reply.body.amountTransaction?.phoneNumber).toBe(paymentPhone);
  });
});
