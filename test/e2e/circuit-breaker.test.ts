import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../adapters/simulator/server.js';
import { api, http, newMerchant, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { freePort } from '../helpers/processes.js';

let gw: TestGateway;
let shop: Merchant;
let port = 0;
let lateCarrier: RunningSimulator | undefined;

beforeAll(async () => {
  port = await freePort();
  const { defaults } = await import('../../config/default.js');
  const alpha = defaults.carriers[0];
  if (alpha?.protocol !== 'parlayx') throw new Error('alpha must be Parlay X');
  // Carrier delta answers nothing yet: nobody listens on its port.
  const base = `http://127.0.0.1:${port}/parlayx/alpha`;
  const delta = {
    ...alpha,
    id: 'delta',
    name: 'Delta Mobile',
    prefixes: ['+82104'],
    endpoints: {
      amountCharging: `${base}/AmountCharging`,
      reserveAmountCharging: `${base}/ReserveAmountCharging`,
      sendSms: `${base}/SendSms`,
    },
    retry: { attempts: 3, backoffMs: 10 },
    circuitBreaker: { failureThreshold: 3, openSeconds: 1 },
  };
  gw = await startTestGateway({ carriers: [...defaults.carriers, delta] });
  shop = await newMerchant(gw, { name: 'Breaker Shop' });
});
afterAll(async () => {
  await lateCarrier?.stop();
  await gw?.stop();
});

const prepare = () =>
  http('POST', `${api(gw)}/payments/prepare`, {
    token: shop.token,
    body: prepareBody(`+821040${String(Date.now()).slice(-6)}`),
  });
const circuit = async () =>
  (
    (await http('GET', `${gw.url}/health/ready`, { token: gw.operatorToken })).body.carriers as Array<{
      carrierId: string;
      circuit: string;
    }>
  ).find((c) => c.carrierId === 'delta')?.circuit;

describe('circuit breaker per carrier', () => {
  it('shows the carriers and their circuits on /health/ready to operators only', async () => {
    const anonymous = await http('GET', `${gw.url}/health/ready`);
    expect(anonymous.body).toEqual({ status: 'ok' });
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    const operator = await http('GET', `${gw.url}/health/ready`, { token: gw.operatorToken });
    expect(operator.body.carriers).toEqual(expect.arrayContaining([expect.objectContaining({ carrierId: 'delta' })]));
  });

  it('fails fast with 503 while a carrier is down, and closes by itself when it answers again', async () => {
    const first = await prepare();
    expect(first.body).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(await circuit()).toBe('open');

    const started = Date.now();
    const fast = await prepare();
    expect(fast.body).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(fast.headers.get('retry-after')).toBe('1');
    expect(fast.body.message).toContain('Delta Mobile');
    expect(Date.now() - started).toBeLessThan(500);

    // Other carriers are not affected.
    expect(
      (await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: prepareBody('+821025550123') }))
        .status,
    ).toBe(201);

    lateCarrier = await startSimulator(port);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await circuit()).toBe('half_open');
    const probe = await prepare();
    expect(probe.status).toBe(201);
    expect(await circuit()).toBe('closed');
  });
});
