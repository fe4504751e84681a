import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../ports/logger.js';
import type { Metrics } from '../../ports/metrics.js';

/**
 * The route a request matched, as a template (`/carrier-billing/v0.5/payments/:paymentId`), never
 * the path as the client wrote it: paths carry ids and, on the confirmation page, a secret token,
 * and express matches them in any letter case, so only the templates are a bounded set of values
 * (a metrics label must be).
 */
export function routeOf(req: Request, res: Response): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  const mount = (res.locals as { mount?: string }).mount ?? '';
  return typeof path === 'string' ? `${mount}${path}` : 'unmatched';
}

/** Marks the requests of a router mounted at `mount` (as written here, not as the client wrote it). */
export function mountedAt(mount: string): RequestHandler {
  return (_req, res, next) => {
    (res.locals as { mount?: string }).mount = mount;
    next();
  };
}

/** Status recorded for a request whose connection closed before its answer was sent (nginx's usage). */
const CLOSED_BEFORE_ANSWER = 499;

/**
 * One log line per request, when its answer is sent or its connection closed first: method, route
 * template, status, latency, the merchant it ran for and its x-correlator. Only these fields,
 * chosen one by one: no query, header or body ever reaches the log from here, so no phone number,
 * code, secret or token can. The same request is counted and timed in the metrics.
 */
export function requestLog(log: Logger, metrics: Pick<Metrics, 'httpRequest'>): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const answered = res.writableFinished;
      const status = answered ? res.statusCode : CLOSED_BEFORE_ANSWER;
      const merchant = (res.locals as { merchant?: { id: string } }).merchant;
      const route = routeOf(req, res);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(req.method, route, status, seconds);
      const line = {
        method: req.method,
        route,
        status,
        ms: seconds * 1000,
        ...(merchant ? { merchantId: merchant.id } : {}),
        ...(res.get('x-correlator') ? { correlator: res.get('x-correlator') } : {}),
      };
      if (answered) log.info(line, 'request');
      else log.warn(line, 'request closed before its answer');
    });
    next();
  };
}
