import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, SHOTS } from '../helpers/browser.js';
import { http, inbox, latestCode, phoneNumber, prepareBody, tokenFor, type Certificate } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The hosted confirmation page in a real browser: Debian's chromium driven by playwright-core,
 * headless. Screenshots go to test-results/screenshots (not in git).
 */

let gw: TestGateway;
let browser: Browser;
let token = '';
// Codes lapse by the gateway's clock, moved forward by the test (no sleeping past a short TTL,
// which a slow machine could reach before the user types).
let clockOffsetMs = 0;
const PAY = () => `${gw.url}/carrier-billing/v0.5`;

async function preparePage(phone: string, description = 'Concert ticket') {
  const reply = await http('POST', `${PAY()}/payments/prepare`, {
    token,
    body: prepareBody(phone, { amount: 25_000, description }),
  });
  expect(reply.body.validationInfo?.action).toBe('open');
  return {
    paymentId: reply.body.paymentId as string,
    url: String((reply.body.validationInfo as { validationURL?: string }).validationURL),
  };
}

async function open(url: string, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({
    locale,
    extraHTTPHeaders: { 'accept-language': locale },
    viewport: { width: 390, height: 844 },
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe.skipIf(!browserAvailable && !process.env.CI)('confirmation page in a browser', () => {
  beforeAll(async () => {
    gw = await startTestGateway(
      {
        otp: { ttlSeconds: 300, resendCooldownSeconds: 0 },
        payments: { reservedTtlSeconds: 900, expirySchedule: '0 0 0 1 1 *' },
      },
      { now: () => new Date(Date.now() + clockOffsetMs) },
    );
    const created = await http('POST', `${gw.url}/admin/v1/merchants`, {
      token: gw.operatorToken,
      body: { name: 'Ticket Hall', validationMode: 'open' },
    });
    token = await tokenFor(gw, created.body.clientId as string, created.body.clientSecret as string);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('a phone user completes a payment: a wrong code, the right one, then the gift certificate', async () => {
    const phone = phoneNumber(1);
    const { paymentId, url } = await preparePage(phone);
    const page = await open(url);
    await expect.poll(() => page.textContent('body')).toContain('Ticket Hall asks to bill this purchase');
    expect(await page.textContent('dl')).toContain('25,000 KRW');
    expect(await page.textContent('dl')).toContain('Concert ticket');
    await page.screenshot({ path: `${SHOTS}/confirm-form.png`, fullPage: true });

    const right = await latestCode(gw, phone);
    await page.fill('#code', right === '000000' ? '111111' : '000000');
    await page.click('button[type=submit] >> nth=0');
    expect(await page.textContent('.error')).toContain('That code is not right. 4 attempt(s) left.');

    await page.fill('#code', right);
    await page.click('button[type=submit] >> nth=0');
    expect(await page.textContent('body')).toContain('Waiting for the merchant');
    expect((await http('GET', `${PAY()}/payments/${paymentId}`, { token })).body.paymentStatus).toBe('reserved');

    expect(
      (await http('POST', `${PAY()}/payments/${paymentId}/confirm`, { token, body: { phoneNumber: phone } })).status,
    ).toBe(202);
    await page.reload();
    const [certificate] = (
      await http<Certificate[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${paymentId}`, { token })
    ).body;
    expect(await page.textContent('#certificate')).toBe(certificate?.code);
    await page.screenshot({ path: `${SHOTS}/confirm-success.png`, fullPage: true });
    // Shown once: from then on the link (in a history, on a shared screen) gives only the end of it.
    await page.reload();
    const code = certificate?.code ?? '';
    expect(await page.textContent('#certificate-ending')).toContain(code.replace(/-/g, '').slice(-4));
    expect(await page.textContent('body')).not.toContain(code);
    expect(await page.locator('#certificate').count()).toBe(0);
    await page.context().close();
  });

  it('sends a new code on request, and an expired code ends the payment', async () => {
    const phone = phoneNumber(2);
    const { url } = await preparePage(phone);
    const page = await open(url);
    await page.click('button.secondary');
    expect(await page.textContent('.notice')).toContain('A new code is on its way.');
    expect(await inbox(gw, phone)).toHaveLength(2);

    clockOffsetMs += 301_000;
    await page.fill('#code', await latestCode(gw, phone));
    await page.click('button[type=submit] >> nth=0');
    expect(await page.textContent('body')).toContain('The code has expired');
    await page.screenshot({ path: `${SHOTS}/confirm-expired.png`, fullPage: true });
    await page.context().close();
  });

  it('escapes what merchants wrote (markup in a description is refused at the door)', async () => {
    const refused = await http('POST', `${PAY()}/payments/prepare`, {
      token,
      body: prepareBody(phoneNumber(2), { description: '<img src=x onerror=alert(1)>' }),
    });
    expect(refused.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });

    const created = await http('POST', `${gw.url}/admin/v1/merchants`, {
      token: gw.operatorToken,
      body: { name: '<img src=x onerror=alert(1)>"quoted"', validationMode: 'open' },
    });
    const marked = await tokenFor(gw, created.body.clientId as string, created.body.clientSecret as string);
    const reply = await http('POST', `${PAY()}/payments/prepare`, { token: marked, body: prepareBody(phoneNumber(2)) });
    const html = await (
      await fetch(String((reply.body.validationInfo as { validationURL?: string }).validationURL))
    ).text();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;&#34;quoted&#34;');
  });

  it('speaks Korean to a Korean browser, and refuses a form without its CSRF cookie', async () => {
    const phone = phoneNumber(1);
    const { url, paymentId } = await preparePage(phone, '공연 티켓');
    const page = await open(url, 'ko-KR');
    expect(await page.textContent('h1')).toBe('구매 확인');
    expect(await page.textContent('body')).toContain(
      'Ticket Hall에서 이 구매 금액을 휴대폰 요금으로 청구하려고 합니다.',
    );
    await page.screenshot({ path: `${SHOTS}/confirm-ko.png`, fullPage: true });
    await page.context().close();

    for (const csrf of ['guess', '%00', '']) {
      const forged = await fetch(`${url}/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `csrf=${csrf}&code=${await latestCode(gw, phone)}`,
      });
      expect(forged.status, `csrf=${csrf}`).toBe(403);
    }
    // A cookie and a field of the client's own choosing, equal (planted from a sibling host, say),
    // and a token the server issued for another payment: neither is this payment's.
    const chosen = `${'x'.repeat(24)}.${'y'.repeat(43)}`;
    const other = await preparePage(phoneNumber(1));
    const otherToken = /name="csrf" value="([^"]+)"/.exec(await (await fetch(other.url)).text())?.[1] ?? '';
    for (const value of [chosen, otherToken]) {
      const planted = await fetch(`${url}/code`, {
        method: 'POST',
        // Under the old cookie name too, which took any value the form repeated.
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `cbg_form=${value}; cbg_csrf=${value}`,
        },
        body: `csrf=${value}&code=${await latestCode(gw, phone)}`,
      });
      expect(planted.status, value).toBe(403);
    }
    expect((await http('GET', `${PAY()}/payments/${paymentId}`, { token })).body.paymentStatus).toBe(
      'pending_validation',
    );
    const unknown = await fetch(`${gw.url}/pay/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
  });

  it('a link ends with its payment: past the reservation lifetime it answers 410', async () => {
    const { url } = await preparePage(phoneNumber(2));
    expect((await fetch(url)).status).toBe(200);
    clockOffsetMs += 901_000;
    const gone = await fetch(url);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('This payment link has expired.');
  });
});
