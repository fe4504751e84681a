import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, SHOTS } from '../helpers/browser.js';
import { http, latestCode, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 16, part 4: the phone user's self-service page (/me) in a real browser: sign in with the
 * number and an SMS code, see this month's purchases and certificates and the merchants that may
 * charge without a code, take one back, block carrier billing, set an own limit; Korean for a
 * Korean browser; a form posted from elsewhere changes nothing.
 */
let gw: TestGateway;
let browser: Browser;
let shop: Merchant;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;

beforeAll(async () => {
  if (!browserAvailable && !process.env.CI) return;
  gw = await startTestGateway();
  shop = await newMerchant(gw, { name: 'Melon Books', oneStepPayments: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

async function signIn(phone: string, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, extraHTTPHeaders: { 'accept-language': locale } });
  const page = await context.newPage();
  await page.goto(`${gw.url}/me`);
  await page.fill('#phoneNumber', phone);
  await page.click('button[type=submit]');
  await page.waitForSelector('#code');
  await page.fill('#code', await latestCode(gw, phone));
  await page.click('button[type=submit]');
  await page.waitForSelector('#own-limit');
  return page;
}

describe.skipIf(!browserAvailable && !process.env.CI)('the self-service page in a browser', () => {
  it('shows purchases, consents and subscriptions; taking back, cancelling, blocking and a limit take effect', async () => {
    const phone = phoneNumber(1);
    expect((await http('POST', PAY(), { token: shop.token, body: prepareBody(phone, { amount: 2_200 }) })).status).toBe(
      201,
    );
    const asked = await http('POST', `${gw.url}/consents/v1/consents`, {
      token: shop.token,
      body: { phoneNumber: phone, description: 'E-books', maxAmountPerCharge: { amount: 5_000, currency: 'KRW' } },
    });
    await http('POST', `${gw.url}/consents/v1/consents/${String(asked.body.consentId)}/validate`, {
      token: shop.token,
      body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });

    const subscribed = await http('POST', `${gw.url}/subscriptions/v1/subscriptions`, {
      token: shop.token,
      body: {
        phoneNumber: phone,
        description: 'Comics pass',
        amount: { amount: 4_900, currency: 'KRW' },
        period: 'P1M',
      },
    });
    const subscriptionId = String(subscribed.body.subscriptionId);
    await http('POST', `${gw.url}/subscriptions/v1/subscriptions/${subscriptionId}/validate`, {
      token: shop.token,
      body: { authorizationId: subscribed.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });

    const page = await signIn(phone);
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain('Comics pass, 4,900 KRW every month');
    expect(body).toContain('Melon Books');
    expect(body).toContain('2,200 KRW');
    expect(body).toContain('Gift certificate');
    expect(body).toContain('E-books, up to 5,000 KRW a charge');
    await page.screenshot({ path: `${SHOTS}/me-en.png`, fullPage: true });

    await page.click(`#consent-${String(asked.body.consentId)} button`);
    await page.waitForSelector('#own-limit');
    expect(
      (await http('GET', `${gw.url}/consents/v1/consents/${String(asked.body.consentId)}`, { token: shop.token })).body
        .status,
    ).toBe('revoked');

    await page.click(`#subscription-${subscriptionId} button`);
    await page.waitForSelector('#own-limit');
    expect(
      (await http('GET', `${gw.url}/subscriptions/v1/subscriptions/${subscriptionId}`, { token: shop.token })).body
        .status,
    ).toBe('cancelled');

    await page.click('text=Block carrier billing');
    await page.waitForSelector('#blocked');
    const refused = await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect(refused.body.code).toBe('CARRIER_BILLING.PAYMENT_DENIED');

    await page.fill('#amount', '3000');
    await page.click('text=Set');
    await page.waitForSelector('#own-limit');
    expect(await page.textContent('#own-limit')).toContain('3,000 KRW');
    await page.context().close();
  });

  it("speaks Korean to a Korean browser, and refuses a form without the session's token", async () => {
    const phone = phoneNumber(2);
    const page = await signIn(phone, 'ko-KR');
    expect(await page.textContent('h1')).toBe('내 휴대폰 결제');
    await page.screenshot({ path: `${SHOTS}/me-ko.png`, fullPage: true });
    // A form from elsewhere riding on the session's cookie, without the session's form token.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const forged = (
      await fetch(`${gw.url}/me/block`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'form=forged',
        redirect: 'manual',
      })
    ).status;
    expect(forged).toBe(403);
    await page.reload();
    expect(await page.textContent('body')).not.toContain('차단되어 있습니다');
    await page.context().close();
  });
});
