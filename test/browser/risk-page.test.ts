import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, SHOTS } from '../helpers/browser.js';
import { http, inbox, newMerchant, phoneNumber, prepareBody, type Certificate } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 17, part 5: the dashboard's risk page in chromium. An operator sees a held payment, a held
 * redemption, a denial with its rule, the collecting account and the rules' hits; approves the
 * payment (the code goes out) and refuses the redemption (the amount goes back).
 */
let gw: TestGateway;
let browser: Browser;

describe.skipIf(!browserAvailable && !process.env.CI)('the risk page', () => {
  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('shows what the rules did and lets an operator decide', async () => {
    const giftShop = await newMerchant(gw, { name: 'Gift Corner' });
    await http('PATCH', `${gw.url}/admin/v1/merchants/${giftShop.merchantId}`, {
      token: gw.operatorToken,
      body: { category: 'gift_certificate' },
    });
    const prepare = (phone: string) =>
      http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
        token: giftShop.token,
        body: prepareBody(phone, { amount: 20_000 }),
      });
    const newLine = phoneNumber(1, '9912');
    const held = await prepare(newLine);
    expect(held.body.paymentStatus).toBe('processing');
    expect((await prepare(phoneNumber(2, '9911'))).status).toBe(403);

    // A collector: certificates bought by three numbers, redeemed into one account.
    const vouchers = await newMerchant(gw, { name: 'Voucher Hub', oneStepPayments: true });
    const GC = `${gw.url}/gift-certificates/v1`;
    const redemptions = [];
    for (let i = 0; i < 3; i++) {
      const paid = await http('POST', `${gw.url}/carrier-billing/v0.5/payments`, {
        token: vouchers.token,
        body: prepareBody(phoneNumber(3), { amount: 10_000 }),
      });
      const [certificate] = (
        await http<Certificate[]>('GET', `${GC}/certificates?paymentId=${String(paid.body.paymentId)}`, {
          token: vouchers.token,
        })
      ).body;
      redemptions.push(
        await http('POST', `${GC}/redemptions`, {
          token: vouchers.token,
          body: { code: certificate?.code, redeemer: { accountId: 'broker-7', ipAddress: '198.51.100.23' } },
        }),
      );
    }
    const heldRedemption = redemptions.at(-1);
    expect(heldRedemption?.status).toBe(202);

    const page = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
    page.setDefaultTimeout(5000);
    await page.goto(`${gw.url}/admin/login`);
    await page.fill('#token', gw.operatorToken);
    await page.click('button[type=submit]');
    await page.click('nav >> text=Risk');
    expect(page.url()).toBe(`${gw.url}/admin/risk`);
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('gift-on-new-line');
    expect(text).toContain('collector-account');
    expect(text).toContain('broker-7');
    // The swap rule's own row counts the one denial.
    expect(await page.locator('tr', { hasText: 'gift-after-sim-swap' }).last().textContent()).toMatch(/(^|\D)1 denied/);
    await page.screenshot({ path: `${SHOTS}/dashboard-risk.png`, fullPage: true });

    const paymentRow = page.locator('tr', { hasText: String(held.body.paymentId) });
    await paymentRow.locator('button', { hasText: 'Approve' }).click();
    expect(page.url()).toBe(`${gw.url}/admin/risk`);
    expect(await page.locator('tr', { hasText: String(held.body.paymentId) }).count()).toBe(0);
    expect((await inbox(gw, newLine)).at(-1)?.text).toMatch(/Code: \d{6}/);

    const redemptionRow = page.locator('tr', { hasText: String(heldRedemption?.body.redemptionId) });
    await redemptionRow.locator('button', { hasText: 'Refuse' }).click();
    expect(await page.locator('tr', { hasText: String(heldRedemption?.body.redemptionId) }).count()).toBe(0);
    const refused = await http('GET', `${GC}/redemptions/${String(heldRedemption?.body.redemptionId)}`, {
      token: vouchers.token,
    });
    expect(refused.body.status).toBe('refused');
  });
});
