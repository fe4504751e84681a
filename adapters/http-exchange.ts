import http from 'node:http';
import https from 'node:https';

/** A reply as the adapters read it: status, headers and the whole body as text. */
export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A failed exchange: `code` tells whether the request can have reached the carrier (ECONNREFUSED cannot; ETIMEDOUT can). */
export class HttpExchangeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Replies larger than this are cut off as garbage: a carrier's answer is a few hundred bytes. */
const MAX_REPLY_BYTES = 1024 * 1024;

export interface HttpExchangeOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string | number>;
  body?: string;
  timeoutMs: number;
}

/**
 * One request and its whole reply over keep-alive connections, for the carrier adapters. Node's
 * own client: fetch and axios cost several times its CPU per call, and a gateway makes four carrier
 * calls per purchase.
 */
export function createHttpExchange(maxSockets = 64): { exchange(url: string, options: HttpExchangeOptions): Promise<HttpReply>; close(): void } {
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets }), 'https:': new https.Agent({ keepAlive: true, maxSockets }) };

  function exchange(url: string, options: HttpExchangeOptions): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(asExchangeError(error));
      try {
        const target = new URL(url);
        const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
        const headers = options.body === undefined ? options.headers : { ...options.headers, 'content-length': Buffer.byteLength(options.body) };
        const request = (protocol === 'https:' ? https : http).request(target, { method: options.method, headers, agent: agents[protocol] }, (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_REPLY_BYTES) request.destroy(new HttpExchangeError('EREPLYTOOLARGE', 'reply too large'));
            else chunks.push(chunk);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', fail);
        });
        // Whether the carrier acted is unknown once the request may have left: the timeout says so.
        request.setTimeout(options.timeoutMs, () => request.destroy(new HttpExchangeError('ETIMEDOUT', `no reply within ${options.timeoutMs} ms`)));
        request.on('error', fail);
        request.end(options.body);
      } catch (error) {
        // A malformed address or header never left this process.
        fail(error as Error);
      }
    });
  }

  return {
    exchange,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function asExchangeError(error: Error): HttpExchangeError {
  if (error instanceof HttpExchangeError) return error;
  return new HttpExchangeError((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN', error.message);
}

/** The code of a failed exchange, for the adapters' classification. */
export function failureCode(error: unknown): string {
  return error instanceof HttpExchangeError ? error.code : 'EUNKNOWN';
}
