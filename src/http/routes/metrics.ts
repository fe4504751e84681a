import { Router, type RequestHandler } from 'express';
import type { Context } from '../../services/context.js';
import { requireOperator } from '../middleware/auth.js';

/** Prometheus' scrape of this instance: the text exposition of every metric. */
export function scrape(ctx: Context): RequestHandler {
  return async (_req, res) => {
    const { contentType, body } = await ctx.metrics.render();
    res.type(contentType).send(body);
  };
}

/** `/metrics` on the gateway's own port, behind the operator token (METRICS_PORT serves it open, apart). */
export function metricsRoutes(ctx: Context, bootstrapToken: string): Router {
  const router = Router();
  router.get('/metrics', requireOperator(ctx, bootstrapToken), scrape(ctx));
  return router;
}
