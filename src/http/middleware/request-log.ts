import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../ports/logger.js';
import type { Metrics } from '../../ports/metrics.js';

/**
 * The route a request matched, as a template (`/carrier-billing/v0.5/payments/:paymentId`), never
 * the path itself: paths carry ids and, on the confirmation page, a secret token.
 */
export function routeOf(req: Request, res: Response): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  const mount = (res.locals as { mount?: string }).mount ?? req.baseUrl;
  return typeof path === 'string' ? `${mount}${path}` : 'unmatched';
}

/**
 * Remembers where a router is mounted: express restores `req.baseUrl` when an error leaves the
 * router, so by the time the answer is sent the mount path would be gone.
 */
export const rememberMount: RequestHandler = (req, res, next) => {
  (res.locals as { mount?: string }).mount = req.baseUrl;
  next();
};

/**
 * One log line per request, when its answer is sent: method, route template, status, latency,
 * the merchant it ran for and its x-correlator. Only these fields, chosen one by one: no query,
 * header or body ever reaches the log from here, so no phone number, code, secret or token can.
 * The same request is counted and timed in the metrics.
 */
export function requestLog(log: Logger, metrics: Pick<Metrics, 'httpRequest'>): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const merchant = (res.locals as { merchant?: { id: string } }).merchant;
      const route = routeOf(req, res);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(req.method, route, res.statusCode, seconds);
      log.info(
        {
          method: req.method,
          route,
          status: res.statusCode,
          ms: seconds * 1000,
          ...(merchant ? { merchantId: merchant.id } : {}),
          ...(res.get('x-correlator') ? { correlator: res.get('x-correlator') } : {}),
        },
        'request',
      );
    });
    next();
  };
}
