import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { http } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => gw?.stop());

describe('API documents', () => {
  it("serves CAMARA's files as published and the gateway's own, each a valid OpenAPI 3 document", async () => {
    const list = await http<Array<{ name: string; url: string }>>('GET', `${gw.url}/openapi`);
    expect(list.body.map((d) => d.name)).toEqual(['carrier-billing', 'carrier-billing-refund', 'gateway']);
    for (const { name, url } of list.body) {
      const reply = await fetch(`${gw.url}${url}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/yaml/);
      const text = await reply.text();
      expect((parse(text) as { openapi: string }).openapi).toMatch(/^3\.0\./);
      if (name !== 'gateway') expect(text).toBe(readFileSync(`src/http/openapi/camara/${name}.yaml`, 'utf8'));
    }
    expect((await fetch(`${gw.url}/openapi/petstore.yaml`)).status).toBe(404);
  });

  it('renders them at /docs from files the gateway serves itself', async () => {
    const page = await fetch(`${gw.url}/docs`);
    const html = await page.text();
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(scripts).toEqual([
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/assets/swagger-ui-standalone-preset.js',
      '/docs/init.js',
    ]);
    for (const script of scripts) {
      const asset = await fetch(`${gw.url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    }
    expect(await (await fetch(`${gw.url}/docs/init.js`)).text()).toContain('/openapi/gateway.yaml');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Nothing else of the package: not its demo page, its source maps, or its version.
    for (const other of ['index.html', 'package.json', 'swagger-ui-bundle.js.map', '../package.json'])
      expect((await fetch(`${gw.url}/docs/assets/${other}`)).status, other).toBe(404);
  });

  it('answers / with where to go, as a page or as JSON', async () => {
    const json = await http<{ links: Array<{ href: string }> }>('GET', `${gw.url}/`, {
      headers: { accept: 'application/json' },
    });
    expect(json.body.links.map((l) => l.href)).toEqual(['/docs', '/openapi', '/admin', '/health/ready']);
    const html = await fetch(`${gw.url}/`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('href="/docs"');
  });
});
