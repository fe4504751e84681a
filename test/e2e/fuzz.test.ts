import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, http, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Property: whatever a client sends to a public endpoint, the gateway never answers 5xx, a refusal
 * is CAMARA's `{status, code, message}` (RFC 6749's `{error}` at the token endpoint), and a request
 * refused as malformed, unauthenticated or unknown changes no row. Requests are valid ones with
 * one field replaced by anything JSON can hold, or removed, or garbage bodies altogether.
 */
let gw: TestGateway;
let shop: Merchant;
let paymentId = '';

/** Tables a refused request must leave alone (counted before and after it). */
const TABLES = [
  'merchants',
  'access_tokens',
  'payments',
  'carrier_operations',
  'gift_certificates',
  'refunds',
  'audit_events',
  'operators',
];
/** Refusals that must have written nothing. */
const NOTHING_WRITTEN = new Set(['INVALID_ARGUMENT', 'OUT_OF_RANGE', 'UNAUTHENTICATED', 'NOT_FOUND', 'INVALID_SINK']);
const NEVER = '0 0 0 1 1 *';

beforeAll(async () => {
  gw = await startTestGateway({
    // No job may write while a request's rows are counted.
    payments: { reservedTtlSeconds: 900, expirySchedule: NEVER },
    recovery: { schedule: NEVER, pendingGraceSeconds: 60, maxAttempts: 3, retryAfterSeconds: 60 },
    notifications: { allowHttpSinks: false, schedule: NEVER, timeoutMs: 1000, retryHours: 1 },
    reconciliation: { schedule: NEVER },
    limits: {
      maxPaymentMinor: 500_000,
      codesPerMerchantPerMinute: 100_000,
      paymentRequestsPerMerchantPerSecond: 100_000,
    },
  });
  shop = await newMerchant(gw, { name: 'Fuzzed Shop', oneStepPayments: true });
  const prepared = await http('POST', `${api(gw)}/payments/prepare`, {
    token: shop.token,
    body: prepareBody(phoneNumber(1)),
  });
  paymentId = prepared.body.paymentId as string;
});
afterAll(async () => gw?.stop());

async function rowCounts(): Promise<string> {
  const { rows } = await gw.database.query<{ counts: string }>(
    `SELECT concat_ws(',', ${TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(', ')}) AS counts`,
  );
  return rows[0]?.counts ?? '';
}

interface Endpoint {
  method: string;
  path: () => string;
  auth: 'merchant' | 'operator' | 'none';
  template: () => unknown;
}

const refundBody = () => ({
  type: 'partial',
  amountTransaction: {
    referenceCode: `fuzz-${Math.random()}`,
    refundAmount: { chargingInformation: { amount: 100, currency: 'KRW', description: 'Back' } },
  },
});
const ENDPOINTS: Endpoint[] = [
  {
    method: 'POST',
    path: () => '/carrier-billing/v0.5/payments/prepare',
    auth: 'merchant',
    template: () => prepareBody(phoneNumber(1)),
  },
  {
    method: 'POST',
    path: () => '/carrier-billing/v0.5/payments',
    auth: 'merchant',
    template: () => prepareBody(phoneNumber(2)),
  },
  {
    method: 'POST',
    path: () => `/carrier-billing/v0.5/payments/${paymentId}/validate`,
    auth: 'merchant',
    template: () => ({ authorizationId: 'x'.repeat(22), code: '123456' }),
  },
  {
    method: 'POST',
    path: () => `/carrier-billing/v0.5/payments/${paymentId}/confirm`,
    auth: 'merchant',
    template: () => ({ phoneNumber: '+821012345678' }),
  },
  {
    method: 'POST',
    path: () => `/carrier-billing-refund/v0.3/payments/${paymentId}/refunds`,
    auth: 'merchant',
    template: refundBody,
  },
  {
    method: 'POST',
    path: () => '/gift-certificates/v1/certificates/lookup',
    auth: 'merchant',
    template: () => ({ code: 'ABCD-EFGH-JKMN-PQRS-T' }),
  },
  {
    method: 'POST',
    path: () => '/gift-certificates/v1/redemptions',
    auth: 'merchant',
    template: () => ({ code: 'ABCD-EFGH-JKMN-PQRS-T', amount: 100 }),
  },
  {
    method: 'POST',
    path: () => '/admin/v1/merchants',
    auth: 'operator',
    template: () => ({ name: 'Fuzz Merchant', scopes: [] }),
  },
  {
    method: 'PATCH',
    path: () => `/admin/v1/merchants/${shop.merchantId}`,
    auth: 'operator',
    template: () => ({ limits: { requestsPerSecond: 100_000 } }),
  },
  {
    method: 'POST',
    path: () => '/admin/v1/operators',
    auth: 'operator',
    template: () => ({ name: 'Fuzz Operator', role: 'viewer' }),
  },
  { method: 'POST', path: () => '/oauth/token', auth: 'none', template: () => ({ grant_type: 'client_credentials' }) },
];

/** Every path to a leaf of a JSON value. */
function leaves(value: unknown, at: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [at];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
}

/** `value` with the leaf at `path` replaced (or removed, for undefined). */
function replaced(value: unknown, path: string[], by: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1);
  if (last === undefined) return by;
  if (by === undefined) Reflect.deleteProperty(node, last);
  else node[last] = by;
  return copy;
}

const request = fc.record({
  endpoint: fc.constantFrom(...ENDPOINTS),
  leaf: fc.nat(),
  // Now and then the valid request itself, so refusals further in (limits, states) are met too.
  mutate: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  value: fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string({ unit: 'binary' })),
  garbage: fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { freq: 5 }),
  // Mostly the endpoint's own media type, so requests get past the parser to the checks behind it.
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('right') },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', '', 'application/xml', 'application/json; charset=latin1') },
  ),
});

describe('whatever a client sends', () => {
  it('never gets a 5xx, always a proper error body, and a malformed request writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ endpoint, leaf, mutate, value, garbage, contentType }) => {
        const template = endpoint.template();
        const paths = leaves(template);
        const sent = mutate ? replaced(template, paths[leaf % paths.length] ?? [], value) : template;
        const body =
          garbage ??
          (endpoint.path() === '/oauth/token'
            ? new URLSearchParams(
                Object.entries(sent ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
              ).toString()
            : JSON.stringify(sent));
        const headers: Record<string, string> = {};
        const own = endpoint.path() === '/oauth/token' ? 'application/x-www-form-urlencoded' : 'application/json';
        if (contentType) headers['content-type'] = contentType === 'right' ? own : contentType;
        if (endpoint.auth === 'merchant') headers.authorization = `Bearer ${shop.token}`;
        if (endpoint.auth === 'operator') headers.authorization = `Bearer ${gw.operatorToken}`;

        const before = await rowCounts();
        const response = await fetch(`${gw.url}${endpoint.path()}`, { method: endpoint.method, headers, body });
        const text = await response.text();
        const where = `${endpoint.method} ${endpoint.path()} ${body.slice(0, 200)} → ${response.status} ${text.slice(0, 200)}`;
        expect(response.status, where).toBeLessThan(500);
        if (response.status < 400) return;
        const error = JSON.parse(text) as Record<string, unknown>;
        if (endpoint.path() === '/oauth/token') {
          expect(typeof error.error, where).toBe('string');
          return;
        }
        expect(error, where).toEqual({
          status: response.status,
          code: expect.any(String),
          message: expect.any(String),
        });
        if (NOTHING_WRITTEN.has(error.code as string)) expect(await rowCounts(), where).toBe(before);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
