import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** Guessing a confirmation-page link or the operator token is slowed: a few misses a minute per address, then 429. */
describe('guessing', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ giftCertificates: { failedAttemptsPerMinute: 3 } });
  });
  afterAll(async () => gw?.stop());

  it('answers unknown page links 404 until the limit of misses, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${gw.url}/pay/${String(i).repeat(43)}`)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect((await fetch(`${gw.url}/pay/${'x'.repeat(43)}`)).headers.get('retry-after')).toBe('60');
  });

  it('refuses sign-in after five wrong operator tokens, even the right one, for the minute', async () => {
    const signIn = (token: string) =>
      fetch(`${gw.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(`wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await signIn(gw.operatorToken)).status).toBe(429);
  });
});
