import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main.js';
import { http, type Body } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Security findings 6 and 7: named operator accounts with roles, dashboard sessions kept on the
 * server, and brakes on wrong tokens that count failures per client address and per account.
 */
let gw: TestGateway;
let clockOffsetMs = 0;
const ADMIN = () => `${gw.url}/admin/v1`;

beforeAll(async () => {
  gw = await startTestGateway({ trustProxy: '1' }, { now: () => new Date(Date.now() + clockOffsetMs) });
});
afterAll(async () => gw?.stop());

let addressCounter = 0;
/** A client address of its own for each test, so one test's failures do not brake another. */
const freshAddress = () => `203.0.113.${++addressCounter}`;

async function newOperator(role: 'viewer' | 'admin', name = `${role} ${addressCounter}`) {
  const created = await http('POST', `${ADMIN()}/operators`, {
    token: gw.operatorToken,
    body: { name, role },
    headers: { 'x-forwarded-for': freshAddress() },
  });
  expect(created.status).toBe(201);
  return { id: created.body.operatorId as string, token: created.body.token as string, name };
}

const signIn = (token: string, from: string) =>
  fetch(`${gw.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
    body: new URLSearchParams({ token }),
  });
const dashboard = (cookie: string) => fetch(`${gw.url}/admin`, { redirect: 'manual', headers: { cookie } });
const sessionCookie = (reply: Response) => (reply.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const formToken = async (cookie: string) =>
  /name="form" value="([^"]+)"/.exec(await (await dashboard(cookie)).text())?.[1] ?? '';
const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});

describe('operator accounts', () => {
  it('a viewer reads but changes nothing (403), an admin changes, and the audit trail names who did', async () => {
    const viewer = await newOperator('viewer', 'Vera Viewer');
    const admin = await newOperator('admin', 'Ada Admin');
    expect((await http('GET', `${ADMIN()}/merchants`, { token: viewer.token })).status).toBe(200);
    const refused = await http('POST', `${ADMIN()}/merchants`, { token: viewer.token, body: { name: 'Viewer Shop' } });
    expect(refused.body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    const { rows: none } = await gw.database.query("SELECT 1 FROM merchants WHERE name = 'Viewer Shop'");
    expect(none).toHaveLength(0);

    const created = await http('POST', `${ADMIN()}/merchants`, { token: admin.token, body: { name: 'Admin Shop' } });
    expect(created.status).toBe(201);
    const { rows } = await gw.database.query<{ actor: string; event: string; detail: Body }>(
      'SELECT actor, event, detail FROM audit_events WHERE merchant_id = $1',
      [created.body.merchantId],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor: `operator:${admin.id}`,
        event: 'merchant_created',
        detail: expect.objectContaining({ by: 'Ada Admin' }) as unknown,
      }),
    ]);
  });

  it('a deleted account stops at once: its token and its dashboard session', async () => {
    const leaving = await newOperator('admin');
    const cookie = sessionCookie(await signIn(leaving.token, freshAddress()));
    expect((await dashboard(cookie)).status).toBe(200);
    expect((await http('DELETE', `${ADMIN()}/operators/${leaving.id}`, { token: gw.operatorToken })).status).toBe(204);
    expect((await http('GET', `${ADMIN()}/merchants`, { token: leaving.token })).status).toBe(401);
    expect((await dashboard(cookie)).headers.get('location')).toBe('/admin/login');
    const listed = await http<Array<{ operatorId: string }>>('GET', `${ADMIN()}/operators`, {
      token: gw.operatorToken,
    });
    expect(listed.body.map((o) => o.operatorId)).not.toContain(leaving.id);
  });

  it('the bootstrap admin (OPERATOR_TOKEN) cannot be deleted through the API', async () => {
    const reply = await http('DELETE', `${ADMIN()}/operators/op_bootstrap`, { token: gw.operatorToken });
    expect(reply.body).toMatchObject({ status: 409, code: 'CONFLICT' });
  });
});

describe('dashboard sessions on the server', () => {
  // A second gateway on the same database needs a database server (the embedded one is in-process).
  it.skipIf(!process.env.DATABASE_URL)(
    'a new OPERATOR_TOKEN ends the sessions signed in with the old one',
    async () => {
      const cookie = sessionCookie(await signIn(gw.operatorToken, freshAddress()));
      expect((await dashboard(cookie)).status).toBe(200);
      const config = gw.context.config;
      const replaced = await start({
        env: {
          DATABASE_URL: config.databaseUrl,
          REDIS_URL: config.redisUrl,
          REDIS_PREFIX: config.redisPrefix,
          MASTER_KEY: config.masterKey,
          OPERATOR_TOKEN: randomBytes(32).toString('base64url'),
          SIMULATOR_URL: gw.simulatorUrl,
          LOG_LEVEL: 'silent',
        },
        overrides: { env: 'test', port: 0, dataDir: 'memory://', simulator: { enabled: false, port: 0 } },
      });
      await replaced.stop();
      expect((await dashboard(cookie)).headers.get('location')).toBe('/admin/login');
    },
  );

  it('signing out ends the session: the same cookie, replayed, signs nobody in', async () => {
    const cookie = sessionCookie(await signIn(gw.operatorToken, freshAddress()));
    expect((await dashboard(cookie)).status).toBe(200);
    const out = await fetch(`${gw.url}/admin/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ form: await formToken(cookie) }),
    });
    expect(out.status).toBe(303);
    expect((await dashboard(cookie)).headers.get('location')).toBe('/admin/login');
  });

  it('a form without its token is refused (403) and the session goes on', async () => {
    const cookie = sessionCookie(await signIn(gw.operatorToken, freshAddress()));
    const forged = await fetch(`${gw.url}/admin/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ form: 'guess' }),
    });
    expect(forged.status).toBe(403);
    expect((await dashboard(cookie)).status).toBe(200);
  });

  it('a session ends after 30 minutes without use', async () => {
    const cookie = sessionCookie(await signIn(gw.operatorToken, freshAddress()));
    clockOffsetMs += 29 * 60_000;
    expect((await dashboard(cookie)).status).toBe(200); // use renews it
    clockOffsetMs += 31 * 60_000;
    expect((await dashboard(cookie)).headers.get('location')).toBe('/admin/login');
  });

  it('session ids are random and the database keeps only their digest', async () => {
    const cookie = sessionCookie(await signIn(gw.operatorToken, freshAddress()));
    const id = cookie.split('=')[1] ?? '';
    expect(id).toMatch(/^[\w-]{43}$/);
    const { rows } = await gw.database.query<{ id_digest: Buffer }>('SELECT id_digest FROM operator_sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.id_digest.equals(Buffer.from(id, 'base64url')))).toBe(false);
  });
});

describe('brakes on wrong operator tokens', () => {
  it('counts an IPv6 client by its /64: a fresh address for every guess gains nothing', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 7; i++) {
      const from = `2001:db8:7:7::${i.toString(16)}`;
      statuses.push(
        (await http('GET', `${ADMIN()}/merchants`, { token: `wrong-${i}`, headers: { 'x-forwarded-for': from } }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('20 wrong tokens at once from one address get 5 answers and 15 refusals; the right one from elsewhere goes on', async () => {
    const from = freshAddress();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http('GET', `${ADMIN()}/merchants`, { token: `wrong-${i}`, headers: { 'x-forwarded-for': from } }),
      ),
    );
    expect(tally(replies.map((r) => r.status))).toEqual({ 401: 5, 429: 15 });
    const elsewhere = await http('GET', `${ADMIN()}/merchants`, {
      token: gw.operatorToken,
      headers: { 'x-forwarded-for': freshAddress() },
    });
    expect(elsewhere.status).toBe(200);
  });

  it("guesses at one account from many addresses get 10 answers, and never shut out the account's owner", async () => {
    const target = await newOperator('viewer');
    const guesses = await Promise.all(
      Array.from({ length: 14 }, () =>
        http('GET', `${ADMIN()}/merchants`, {
          token: `${target.id}.${'A'.repeat(43)}`,
          headers: { 'x-forwarded-for': freshAddress() },
        }),
      ),
    );
    expect(tally(guesses.map((r) => r.status))).toEqual({ 401: 10, 429: 4 });
    const owner = await http('GET', `${ADMIN()}/merchants`, {
      token: target.token,
      headers: { 'x-forwarded-for': freshAddress() },
    });
    expect(owner.status).toBe(200);
    expect((await signIn(target.token, freshAddress())).status).toBe(303);
  });
});
