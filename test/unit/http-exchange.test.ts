import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpExchange, HttpExchangeError } from '../../adapters/http-exchange.js';
import { freePort } from '../helpers/processes.js';

/** The carrier adapters' HTTP client: what a reply and each kind of failure look like to them. */
describe('http exchange', () => {
  let server: Server;
  let base: string;
  const http = createHttpExchange();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 500);
        if (req.url === '/huge') return void res.end('x'.repeat(2 * 1024 * 1024));
        res.writeHead(201, { 'x-seen-length': req.headers['content-length'] ?? '' }).end(`${req.method} ${body}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the body with its length and returns status, headers and the whole reply', async () => {
    const reply = await http.exchange(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'grüße',
      timeoutMs: 1000,
    });
    expect(reply).toMatchObject({
      status: 201,
      body: 'POST grüße',
      headers: { 'x-seen-length': String(Buffer.byteLength('grüße')) },
    });
  });

  it('names each failure by a code the adapters classify', async () => {
    const codeOf = (url: string, timeoutMs = 1000) =>
      http.exchange(url, { method: 'GET', headers: {}, timeoutMs }).then(
        () => 'none',
        (e: unknown) => (e instanceof HttpExchangeError ? e.code : 'not an exchange error'),
      );
    expect(await codeOf(`http://127.0.0.1:${await freePort()}/`)).toBe('ECONNREFUSED');
    expect(await codeOf(`${base}/slow`, 50)).toBe('ETIMEDOUT');
    expect(await codeOf(`${base}/huge`)).toBe('EREPLYTOOLARGE');
    expect(await codeOf('not a url')).toBe('ERR_INVALID_URL');
  });

  it('keeps the timeout for the whole call, waiting for a connection included', async () => {
    const one = createHttpExchange(1);
    const settled: string[] = [];
    const first = one
      .exchange(`${base}/slow`, { method: 'GET', headers: {}, timeoutMs: 5_000 })
      .then(() => settled.push('first'));
    // Queued behind the first call's only connection, it gives up long before that call ends, and
    // says it was never sent.
    const second = one
      .exchange(`${base}/slow`, { method: 'GET', headers: {}, timeoutMs: 100 })
      .catch((e: unknown) => settled.push(`second ${(e as HttpExchangeError).code}`));
    await Promise.all([first, second]);
    one.close();
    expect(settled).toEqual(['second ENOTSENT', 'first']);
  });
});
