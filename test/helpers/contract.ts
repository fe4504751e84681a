import { readFileSync } from 'node:fs';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { parse } from 'yaml';
import addFormats from 'ajv-formats';

/**
 * The documents the gateway serves at /openapi, as a check on real answers: each answer of a
 * documented API must match its operation's schema for the status it gave. The end-to-end client
 * runs every answer through it, so the documents cannot drift from what the gateway does.
 */
const DOCUMENTS = [
  { root: '/carrier-billing/v0.5', file: 'src/http/openapi/camara/carrier-billing.yaml' },
  { root: '/carrier-billing-refund/v0.3', file: 'src/http/openapi/camara/carrier-billing-refund.yaml' },
  { root: '/', file: 'src/http/openapi/gateway.yaml' },
];

/** The gateway's own APIs (the simulator's control surface is not the gateway's to document). */
const DOCUMENTED = new RegExp(
  '^/(carrier-billing/|carrier-billing-refund/|gift-certificates/|consents/|subscriptions/|admin/v1/|oauth/|health/|metrics$|openapi|docs$|$)',
);

let loaded: Promise<OpenAPIBackend[]> | undefined;

function documents(): Promise<OpenAPIBackend[]> {
  loaded ??= Promise.all(
    DOCUMENTS.map(async ({ root, file }) => {
      const api = new OpenAPIBackend({
        definition: parse(readFileSync(file, 'utf8')) as Document,
        apiRoot: root,
        quick: false,
        // Formats (date-time, uri, …) are checked too, not ignored.
        customizeAjv: (ajv) => {
          addFormats.default(ajv);
          return ajv;
        },
      });
      await api.init();
      return api;
    }),
  );
  return loaded;
}

/** Why an answer breaks its document, or undefined when it keeps to it. */
export async function contractViolation(
  method: string,
  url: string,
  status: number,
  body: unknown,
): Promise<string | undefined> {
  const path = new URL(url).pathname;
  if (!DOCUMENTED.test(path)) return undefined;
  for (const api of await documents()) {
    const operation = api.matchOperation({ method, path, headers: {} });
    if (!operation) continue;
    const result = api.validateResponse(asDocumented(body), operation, status);
    return result.valid ? undefined : `${method} ${path} → ${status}: ${JSON.stringify(result.errors?.slice(0, 3))}`;
  }
  // Nothing there: CAMARA's 404 for a path no operation has is the answer, not a breach.
  return status === 404 ? undefined : `${method} ${path} is in no document`;
}

/**
 * No content reads as null; and an http sink, which only tests may use (ALLOW_HTTP_SINKS), reads
 * as the https one CAMARA documents.
 */
function asDocumented(body: unknown): unknown {
  if (body === undefined) return null;
  if (typeof body === 'object' && body !== null && 'sink' in body && typeof body.sink === 'string') {
    return { ...body, sink: body.sink.replace(/^http:/, 'https:') };
  }
  return body;
}
