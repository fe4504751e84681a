import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, SHOTS } from '../helpers/browser.js';
import { http, latestCode, newMerchant, phoneNumber, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The three-legged sign-in in a real browser (issue 15, part 2): a web merchant sends the phone
 * user to /oauth/authorize; they type their number, then the SMS code, allow, and the browser
 * lands back on the merchant's page with a code (which chromium allows only because the page's
 * form-action names the merchant's origin).
 */
let gw: TestGateway;
let browser: Browser;
let shop: Merchant;
let merchantSite: Server;
let callback = '';
/** What the first test's phone user granted, for the operator's test. */
const granted = { phone: '', token: '' };

beforeAll(async () => {
  if (!browserAvailable && !process.env.CI) return;
  gw = await startTestGateway();
  shop = await newMerchant(gw, { name: 'Web Shop' });
  // The merchant's own page the phone user comes back to.
  merchantSite = createServer((_req, res) => res.end('<!doctype html><title>Web Shop</title><p>Welcome back</p>'));
  await new Promise<void>((resolve) => merchantSite.listen(0, '127.0.0.1', resolve));
  callback = `http://127.0.0.1:${(merchantSite.address() as AddressInfo).port}/callback`;
  await http('PATCH', `${gw.url}/admin/v1/merchants/${shop.merchantId}`, {
    token: gw.operatorToken,
    body: { redirectUris: [callback] },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  merchantSite?.close();
  await gw?.stop();
});

describe.skipIf(!browserAvailable && !process.env.CI)('three-legged sign-in in a browser', () => {
  it('a phone user types their number and the SMS code, allows, and is back at the merchant with a code that buys a token', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: shop.clientId,
      redirect_uri: callback,
      scope: 'openid carrier-billing:payments:create carrier-billing:payments:read',
      state: 'cart-42',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const context = await browser.newContext({ locale: 'ko-KR', extraHTTPHeaders: { 'accept-language': 'ko-KR' } });
    const page = await context.newPage();
    await page.goto(`${gw.url}/oauth/authorize?${query.toString()}`);
    expect(await page.textContent('body')).toContain('Web Shop에서 회원님의 휴대폰 번호로');
    const phone = phoneNumber(1);
    await page.fill('#phoneNumber', phone);
    await page.click('button[type=submit]');
    await page.waitForSelector('#code');
    await page.screenshot({ path: `${SHOTS}/approval-ko.png`, fullPage: true });

    await page.fill('#code', await latestCode(gw, phone));
    await page.click('button[type=submit] >> nth=0');
    await page.waitForURL((url) => url.toString().startsWith(callback));
    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe('cart-42');
    expect(await page.textContent('body')).toContain('Welcome back');

    const token = await http('POST', `${gw.url}/oauth/token`, {
      raw: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: callback,
        code_verifier: verifier,
      }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${shop.clientId}:${shop.clientSecret}`).toString('base64')}`,
      },
    });
    expect(token.body.scope).toBe('openid carrier-billing:payments:create carrier-billing:payments:read');
    Object.assign(granted, { phone, token: String(token.body.access_token) });
    await context.close();
  });

  it("an operator finds the phone user's grant in the dashboard and revokes it: its token stops at once", async () => {
    expect((await http('GET', `${gw.url}/carrier-billing/v0.5/payments`, { token: granted.token })).status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${gw.url}/admin/login`);
    await page.fill('#token', gw.operatorToken);
    await page.click('button[type=submit]');
    await page.click('nav >> text=Consents and grants');
    await page.fill('input[name=phoneNumber]', granted.phone);
    await page.click('form.search button');
    expect(await page.textContent('table')).toContain(shop.merchantId);
    await page.click('form.action button');
    expect(await page.textContent('body')).toContain('revoked');
    await page.screenshot({ path: `${SHOTS}/grants.png`, fullPage: true });
    expect((await http('GET', `${gw.url}/carrier-billing/v0.5/payments`, { token: granted.token })).status).toBe(401);
    await page.close();
  });

  it('refusing sends the phone user back with access_denied', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: shop.clientId,
      redirect_uri: callback,
      scope: 'openid carrier-billing:payments:read',
      state: 's',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const page = await browser.newPage();
    await page.goto(`${gw.url}/oauth/authorize?${query.toString()}`);
    await page.fill('#phoneNumber', phoneNumber(2));
    await page.click('button[type=submit]');
    await page.waitForSelector('#code');
    await page.click('button.secondary');
    await page.waitForURL((url) => url.toString().startsWith(callback));
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});
