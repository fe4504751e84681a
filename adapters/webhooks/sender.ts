import type { LookupAddress, LookupAllOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../../src/domain/network.js';
import { WebhookError, type WebhookSender } from '../../src/ports/webhooks.js';

/** How a host name becomes addresses (DNS by default; tests give their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true } as LookupAllOptions);

/**
 * The merchant's sink over Node's http/https. The connection's own DNS lookup is the one checked:
 * every address the name resolves to must be public, and the socket then connects to those very
 * addresses (no second resolution a rebinding DNS server could answer differently). Host and SNI
 * stay the sink's name. Literal addresses are checked before connecting. DNS has its own time limit.
 */
export function createWebhookSender(options: {
  /** Local development and tests (ALLOW_HTTP_SINKS): private addresses allowed. */
  allowPrivate: boolean;
  dnsTimeoutMs: number;
  resolve?: Resolver;
}): WebhookSender {
  const resolve = options.resolve ?? systemResolver;

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    const timer = setTimeout(() => {
      callback(Object.assign(new Error('DNS lookup timed out'), { code: 'EDNSTIMEOUT' }), '', 4);
    }, options.dnsTimeoutMs);
    resolve(hostname).then(
      (addresses) => {
        clearTimeout(timer);
        if (addresses.length === 0 || (!options.allowPrivate && !addresses.every((a) => isPublicAddress(a.address)))) {
          callback(Object.assign(new Error('sink resolves to a private address'), { code: 'EPRIVATE' }), '', 4);
          return;
        }
        if ((lookupOptions as { all?: boolean }).all) callback(null, addresses);
        else {
          const [first] = addresses as [LookupAddress];
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => {
        clearTimeout(timer);
        callback(error as NodeJS.ErrnoException, '', 4);
      },
    );
  };
  const agents = {
    'http:': new http.Agent({ keepAlive: false, lookup }),
    'https:': new https.Agent({ keepAlive: false, lookup }),
  };

  return {
    post(url, body, headers, timeoutMs) {
      return new Promise((resolvePost, reject) => {
        const target = new URL(url);
        const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
        const host = target.hostname.replace(/^\[|\]$/g, '');
        if (isIP(host) && !options.allowPrivate && !isPublicAddress(host)) {
          reject(new WebhookError('EPRIVATE'));
          return;
        }
        const request = (protocol === 'https:' ? https : http).request(
          target,
          {
            method: 'POST',
            agent: agents[protocol],
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          },
          (response) => {
            clearTimeout(timer);
            // Only the status matters; the body is read away so the socket can close.
            response.resume();
            resolvePost({ status: response.statusCode ?? 0 });
          },
        );
        // The whole exchange, DNS and connection included, within `timeoutMs`.
        const timer = setTimeout(() => request.destroy(new WebhookError('timeout')), timeoutMs);
        request.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(error instanceof WebhookError ? error : new WebhookError(error.code ?? error.message));
        });
        request.end(body);
      });
    },
    close() {
      for (const agent of Object.values(agents)) agent.destroy();
    },
  };
}
