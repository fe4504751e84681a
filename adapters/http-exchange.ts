import http from 'node:http';
import https from 'node:https';

/** A reply as the adapters read it: status, headers and the whole body as text. */
export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A failed exchange: `code` tells whether the request can have reached the carrier (ECONNREFUSED
 * cannot; ETIMEDOUT can).
 */
export class HttpExchangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
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
export function createHttpExchange(maxSockets = 64): {
  exchange(url: string, options: HttpExchangeOptions): Promise<HttpReply>;
  close(): void;
} {
  // Idle connections close after 4 s, before the 5 s after which servers commonly close them: a
  // request written into a connection the server is closing fails, and its outcome is unknown.
  const options = { keepAlive: true, maxSockets, timeout: 4_000 };
  const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };

  function exchange(url: string, call: HttpExchangeOptions): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(asExchangeError(error));
      try {
        const target = new URL(url);
        const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
        const headers =
          call.body === undefined ? call.headers : { ...call.headers, 'content-length': Buffer.byteLength(call.body) };
        const request = (protocol === 'https:' ? https : http).request(
          target,
          { method: call.method, headers, agent: agents[protocol] },
          (response) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_REPLY_BYTES) request.destroy(new HttpExchangeError('EREPLYTOOLARGE', 'reply too large'));
              else chunks.push(chunk);
            });
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            response.on('error', fail);
          },
        );
        // One deadline for the whole exchange (waiting for a connection included), so a call never
        // outlives its timeout. Whether the carrier acted is then unknown (ETIMEDOUT), unless the
        // request never got a connection (ENOTSENT). A request still waiting for one reports its
        // destruction only once it gets one, hence the reject here.
        const deadline = setTimeout(() => {
          const timedOut = new HttpExchangeError(
            request.socket ? 'ETIMEDOUT' : 'ENOTSENT',
            `no reply within ${call.timeoutMs} ms`,
          );
          fail(timedOut);
          request.destroy(timedOut);
        }, call.timeoutMs);
        request.on('close', () => clearTimeout(deadline));
        request.on('error', fail);
        request.end(call.body);
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
