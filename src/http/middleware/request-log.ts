import type { Request, RequestHandler } from 'express';
import type { Logger } from '../../ports/logger.js';

/**
 * The route a request matched, as a template (`/carrier-billing/v0.5/payments/:paymentId`), never
 * the path itself: paths carry ids and, on the confirmation page, a secret token.
 */
export function routeOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/**
 * One log line per request, when its answer is sent: method, route template, status, latency,
 * the merchant it ran for and its x-correlator. Only these fields, chosen one by one: no query,
 * header or body ever reaches the log from here, so no phone number, code, secret or token can.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const merchant = (res.locals as { merchant?: { id: string } }).merchant;
      log.info(
        {
          method: req.method,
          route: routeOf(req),
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          ...(merchant ? { merchantId: merchant.id } : {}),
          ...(res.get('x-correlator') ? { correlator: res.get('x-correlator') } : {}),
        },
        'request',
      );
    });
    next();
  };
}
