import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSender, type Resolver } from '../../adapters/webhooks/sender.js';

/** An internal service the attacker would like the gateway to POST to. */
let internal: http.Server;
let port = 0;
let hits = 0;

beforeAll(async () => {
  internal = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  port = (internal.address() as AddressInfo).port;
});
afterAll(async () => {
  internal.closeAllConnections();
  await new Promise((resolve) => internal.close(resolve));
});

const answers = (...lists: string[][]): Resolver => {
  let call = 0;
  return async () =>
    (lists[Math.min(call++, lists.length - 1)] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
};

async function attempt(url: string, resolve: Resolver, allowPrivate = false): Promise<string> {
  const sender = createWebhookSender({ allowPrivate, dnsTimeoutMs: 500, resolve });
  try {
    return String((await sender.post(url, '{}', { 'content-type': 'application/json' }, 400)).status);
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  } finally {
    sender.close();
  }
}

describe("a notification sink that leads into the gateway's network (SSRF)", () => {
  it('is refused when its name resolves to a private address, and nothing is sent', async () => {
    hits = 0;
    expect(await attempt(`http://sink.example:${port}/events`, answers(['127.0.0.1']))).toBe('EPRIVATE');
    expect(await attempt(`http://sink.example:${port}/events`, answers(['203.0.113.9', '127.0.0.1']))).toBe('EPRIVATE');
    expect(hits).toBe(0);
  });

  it('connects to the address it checked: a rebinding DNS answer cannot redirect the connection', async () => {
    hits = 0;
    let lookups = 0;
    const rebinding: Resolver = async () => {
      lookups += 1;
      return [{ address: lookups === 1 ? '203.0.113.9' : '127.0.0.1', family: 4 }];
    };
    // The first (public, unroutable) answer is where it tries to connect, and fails; never the internal server.
    expect(await attempt(`http://sink.example:${port}/events`, rebinding)).not.toBe('200');
    expect(lookups).toBe(1);
    expect(hits).toBe(0);
  });

  it.each([
    `http://127.0.0.1:PORT/x`,
    `http://[::ffff:127.0.0.1]:PORT/x`,
    `http://[64:ff9b::7f00:1]:PORT/x`,
    `http://[::1]:PORT/x`,
  ])('refuses the literal address %s without connecting', async (template) => {
    hits = 0;
    expect(await attempt(template.replace('PORT', String(port)), answers([]))).toBe('EPRIVATE');
    expect(hits).toBe(0);
  });

  it('delivers where private addresses are allowed (ALLOW_HTTP_SINKS, tests): the check is what stopped the others', async () => {
    hits = 0;
    expect(await attempt(`http://sink.example:${port}/events`, answers(['127.0.0.1']), true)).toBe('200');
    expect(hits).toBe(1);
  });
});
