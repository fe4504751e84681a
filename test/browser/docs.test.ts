import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, SHOTS } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let browser: Browser;

describe.skipIf(!browserAvailable && !process.env.CI)('the API reference in a browser', () => {
  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it("renders CAMARA's operations and, on choosing it, the gateway's own, with no code or style from elsewhere", async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    // The reference's own code and styles come from the gateway. (CAMARA's documents link
    // diagrams and an example OpenID address themselves; those are the documents' content.)
    page.on('request', (request) => {
      const own = ['script', 'stylesheet', 'font'].includes(request.resourceType());
      if (own && !request.url().startsWith(gw.url)) elsewhere.push(request.url());
    });
    await page.goto(`${gw.url}/docs`);
    await page.waitForSelector('text=preparePayment', { timeout: 15_000 });
    expect(await page.textContent('.info .title')).toContain('Carrier Billing');

    await page.selectOption('select', { label: 'Beyond CAMARA: OAuth, gift certificates, operators, health' });
    await page.waitForSelector('text=Spend a certificate', { timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/docs.png`, fullPage: false });
    expect(elsewhere).toEqual([]);
  });
});
