import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { escapeHtml, page, sendHtml } from '../pages/render.js';

const OPENAPI_DIR = fileURLToPath(new URL('../openapi/', import.meta.url));

/** The API documents served at /openapi/{name}.yaml: CAMARA's own files, untouched, and ours. */
const DOCUMENTS = [
  { name: 'carrier-billing', title: 'CAMARA Carrier Billing v0.5', file: 'camara/carrier-billing.yaml' },
  {
    name: 'carrier-billing-refund',
    title: 'CAMARA Carrier Billing Refund v0.3',
    file: 'camara/carrier-billing-refund.yaml',
  },
  { name: 'gateway', title: 'Beyond CAMARA: OAuth, gift certificates, operators, health', file: 'gateway.yaml' },
] as const;

/** Swagger UI's files, from the package, served by the gateway itself: no CDN. */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const LINKS = [
  { rel: 'docs', href: '/docs', title: 'API reference' },
  { rel: 'openapi', href: '/openapi', title: 'API documents (OpenAPI 3)' },
  { rel: 'admin', href: '/admin', title: 'Operator dashboard' },
  { rel: 'health', href: '/health/ready', title: 'Readiness' },
];

/** `/` (where to go from here), `/openapi/…` (the documents) and `/docs` (their rendered reference). */
export function docsRoutes(): Router {
  const router = Router();
  const texts = new Map(DOCUMENTS.map((d) => [d.name, readFileSync(`${OPENAPI_DIR}${d.file}`, 'utf8')]));

  router.get('/', (req, res) => {
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ name: 'carrier-billing gateway', links: LINKS });
      return;
    }
    const items = LINKS.map((l) => `<li><a href="${l.href}">${escapeHtml(l.title)}</a></li>`).join('');
    sendHtml(res, 200, page('en', 'Carrier-billing gateway', `<h1>Carrier-billing gateway</h1><ul>${items}</ul>`));
  });

  router.get('/openapi', (_req, res) => {
    res.json(DOCUMENTS.map((d) => ({ name: d.name, title: d.title, url: `/openapi/${d.name}.yaml` })));
  });
  router.get('/openapi/:name.yaml', (req, res, next) => {
    const text = texts.get(req.params.name as (typeof DOCUMENTS)[number]['name']);
    if (text === undefined) {
      next();
      return;
    }
    res.type('application/yaml').send(text);
  });

  // Only the three files the page loads: not the package's demo page, its source maps or its version.
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']) {
    router.get(`/docs/assets/${file}`, (_req, res) => {
      res.sendFile(file, { root: SWAGGER_UI_DIR, maxAge: '1d' });
    });
  }
  router.get('/docs/init.js', (_req, res) => {
    const urls = DOCUMENTS.map((d) => ({ name: d.title, url: `/openapi/${d.name}.yaml` }));
    res.type('text/javascript').send(
      `window.ui = SwaggerUIBundle({ urls: ${JSON.stringify(urls)}, dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });\n`,
    );
  });
  router.get('/docs', (_req, res) => {
    // The page's code comes from here only; the documents may show pictures from elsewhere.
    res.set(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'",
    );
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>API reference · Carrier-billing gateway</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`);
  });
  return router;
}
