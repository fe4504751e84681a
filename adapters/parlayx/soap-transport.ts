import type { IExOptions, IHeaders, IHttpClient } from 'soap';
import { createHttpExchange } from '../http-exchange.js';

/** What node-soap reads of a reply: the status on errors, the body (`data`) for faults. */
export interface SoapReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data: string;
}

/**
 * node-soap's HTTP transport, replaced: its default goes through axios, which cost twice the CPU of
 * building and parsing the SOAP messages themselves. node-soap still writes the envelopes (with
 * WS-Security) and reads the replies; this only carries them over keep-alive connections. Each
 * call's `timeout` comes in node-soap's per-call options.
 */
export function createSoapTransport(defaultTimeoutMs: number): IHttpClient & { close(): void } {
  const http = createHttpExchange();
  return {
    request(
      url: string,
      data: unknown,
      callback: (error: unknown, reply?: SoapReply, body?: string) => unknown,
      headers?: IHeaders,
      options?: IExOptions,
    ) {
      const timeoutMs = typeof options?.timeout === 'number' ? options.timeout : defaultTimeoutMs;
      http
        .exchange(url, {
          method: 'POST',
          headers: { ...stringHeaders(headers), accept: 'text/xml' },
          body: String(data),
          timeoutMs,
        })
        .then(
          (reply) => callback(null, { status: reply.status, headers: reply.headers, data: reply.body }, reply.body),
          (error: unknown) => callback(error),
        );
      // node-soap takes the answer from the callback and drops this promise.
      return new Promise<never>(() => undefined);
    },
    close: () => http.close(),
  };
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}
