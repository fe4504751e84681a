import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, SHOTS } from '../helpers/browser.js';
import { http, latestCode, newMerchant, phoneNumber, prepareBody } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let browser: Browser;

describe.skipIf(!browserAvailable && !process.env.CI)('operator dashboard in a browser', () => {
  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('an operator signs in, finds a payment, reads its timeline and opens a reconciliation report', async () => {
    const shop = await newMerchant(gw, { name: 'Dashboard Shop' });
    const phone = phoneNumber(2);
    const prepared = await http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 3_300 }),
    });
    const paymentId = prepared.body.paymentId as string;
    await http('POST', `${gw.url}/carrier-billing/v0.5/payments/${paymentId}/validate`, {
      token: shop.token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    await http('POST', `${gw.url}/carrier-billing/v0.5/payments/${paymentId}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    const declined = await http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
      token: shop.token,
      body: prepareBody(phoneNumber(2, '9901')),
    });
    expect(declined.status).toBe(403);
    const period = new Date().toISOString().slice(0, 7);
    const statement = await (
      await fetch(`${gw.simulatorUrl}/simulator/v1/carriers/bravo/statements/${period}.csv`)
    ).text();
    const run = await http('POST', `${gw.url}/admin/v1/reconciliations?carrierId=bravo&period=${period}`, {
      token: gw.operatorToken,
      raw: statement,
      headers: { 'content-type': 'text/csv' },
    });
    expect(run.status).toBe(201);

    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    page.setDefaultTimeout(5000);
    await page.goto(`${gw.url}/admin`);
    expect(page.url()).toContain('/admin/login');
    await page.fill('#token', 'wrong-token');
    await page.click('button[type=submit]');
    expect(await page.textContent('.error')).toContain('not right');
    await page.fill('#token', gw.operatorToken);
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Overview');
    expect(await page.locator('svg[role=img] rect').count()).toBeGreaterThan(0);
    // At a glance: what was charged, how far payments got, why one was refused, carriers, backlogs.
    const cells = async (section: string, first: string) => {
      for (const row of await page.locator(`#${section} tr`).all()) {
        const texts = (await row.locator('td').allTextContents()).map((t) => t.trim());
        if (texts[0] === first) return texts;
      }
      return [];
    };
    expect(await cells('volume', 'bravo')).toEqual(['bravo', '1', '3,300 KRW', '1', '3,300 KRW']);
    expect(await cells('funnel', 'prepared (code sent)')).toEqual(['prepared (code sent)', '1', '—', '1', '—']);
    expect(await cells('funnel', 'succeeded')).toEqual(['succeeded', '1', '100.0 %', '1', '100.0 %']);
    expect(await cells('declines', 'insufficient_funds')).toEqual(['insufficient_funds', '1']);
    const bravo = await page.locator('#carriers tr:has-text("bravo") td').allTextContents();
    expect(bravo[1]).toBe('closed');
    expect(Number(bravo[2])).toBeGreaterThanOrEqual(5);
    expect(await cells('backlogs', 'manual review')).toEqual(['manual review', '0']);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'cbg_operator')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.screenshot({ path: `${SHOTS}/dashboard-overview.png`, fullPage: true });

    await page.click('nav >> text=Payments');
    await page.fill('input[name=phoneNumber]', phone);
    await page.click('form.search button');
    const listed = await page.locator(`tr:has-text("${paymentId}") td`).allTextContents();
    expect(listed[2]).toBe('3,300 KRW');
    expect(listed[3]).toContain('Dashboard Shop');
    await page.click(`a:has-text("${paymentId}")`);
    expect(await page.textContent('h1')).toBe(`Payment ${paymentId}`);
    const timeline = await page.textContent('main');
    for (const event of ['prepare_requested', 'code_sent', 'code_validated', 'confirm_requested', 'charged'])
      expect(timeline).toContain(event);
    expect(timeline).toContain('Code: ******');
    await page.screenshot({ path: `${SHOTS}/dashboard-timeline.png`, fullPage: true });

    await page.click('nav >> text=Reconciliation');
    await page.click(`a:has-text("${run.body.runId as string}")`);
    expect(await page.textContent('h1')).toBe(`Reconciliation of bravo, ${period}`);
    expect(await page.textContent('body')).toContain('every line matched');
    await page.screenshot({ path: `${SHOTS}/dashboard-reconciliation.png`, fullPage: true });

    // The job run log: the recovery run at start, signed by this instance, and a filter per job.
    await page.goto(`${gw.url}/admin`);
    await page.click('nav >> text=Jobs');
    expect(await page.textContent('h1')).toBe('Job runs');
    await page.click('td a:has-text("recovery")');
    const recoveryRuns = await page.locator('table tr td:first-child').allTextContents();
    expect(recoveryRuns.length).toBeGreaterThan(0);
    expect(new Set(recoveryRuns)).toEqual(new Set(['recovery']));
    expect(await page.textContent('table')).toContain('succeeded');

    // Sessions are random ids the server knows: a made-up or altered one signs nobody in.
    const session = (await page.context().cookies()).find((c) => c.name === 'cbg_operator')?.value ?? '';
    expect(session).toMatch(/^[\w-]{43}$/);
    for (const forged of ['A'.repeat(43), `${session.slice(0, 42)}${session.endsWith('A') ? 'B' : 'A'}`, '']) {
      const reply = await fetch(`${gw.url}/admin`, {
        headers: { cookie: `cbg_operator=${forged}` },
        redirect: 'manual',
      });
      expect(reply.status, forged).toBe(303);
    }
    await page.goto(`${gw.url}/admin`);
    await page.click('nav button');
    expect(page.url()).toContain('/admin/login');
    await page.context().close();
  });

  it('an admin changes a merchant from its page: a limit, disabling it, a new secret shown once; a viewer only reads', async () => {
    const shop = await newMerchant(gw, { name: 'Lifecycle Shop' });
    const page = await signedInPage(gw.operatorToken);
    await page.click('nav >> text=Merchants');
    await page.click(`a:has-text("${shop.merchantId}")`);
    expect(await page.textContent('h1')).toBe('Merchant Lifecycle Shop');

    await page.fill('input[name=codesPerMinute]', '42');
    await page.click('text=Save limits');
    expect(await page.locator('table').nth(1).textContent()).toContain('42');

    await page.click('text=Disable now');
    expect(await page.textContent('main')).toContain('disabled since');
    expect((await http('GET', `${gw.url}/carrier-billing/v0.5/payments`, { token: shop.token })).status).toBe(401);

    await page.click('text=Rotate secret (old one works 24 h)');
    const secret = (await page.textContent('code.secret')) ?? '';
    expect(secret).toMatch(/^[\w-]{43}$/);
    await page.screenshot({ path: `${SHOTS}/dashboard-new-secret.png`, fullPage: true });
    await page.goBack();
    await page.reload();
    expect(await page.textContent('body')).not.toContain(secret);
    const history = await page.textContent('main');
    for (const event of ['merchant_updated', 'merchant_disabled', 'client_secret_rotated'])
      expect(history).toContain(event);
    await page.screenshot({ path: `${SHOTS}/dashboard-merchant.png`, fullPage: true });
    await page.context().close();

    const viewer = await http('POST', `${gw.url}/admin/v1/operators`, {
      token: gw.operatorToken,
      body: { name: 'Read-only Rita', role: 'viewer' },
    });
    const watching = await signedInPage(viewer.body.token as string);
    await watching.goto(`${gw.url}/admin/merchants/${shop.merchantId}`);
    expect(await watching.textContent('main')).toContain('Your account may read only.');
    expect(await watching.locator('form.action').count()).toBe(0);
    expect(await watching.textContent('nav')).toContain('Read-only Rita (viewer)');
    await watching.context().close();
  });
});

async function signedInPage(token: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${gw.url}/admin/login`);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  return page;
}
