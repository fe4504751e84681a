import { Router } from 'express';
import type { Context } from '../../services/context.js';
import { readiness } from '../../services/operators/health.js';
import type { Lifecycle } from '../middleware/draining.js';
import { operatorIfAny } from '../middleware/auth.js';

/**
 * Liveness (the process answers) and readiness (not shutting down, the database answers). Which
 * carriers there are and how their circuits stand is for operators only (their token): to anyone
 * else it maps the carrier side and tells when a carrier is down.
 */
export function healthRoutes(ctx: Context, lifecycle: Lifecycle, bootstrapToken: string): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (req, res) => {
    // Not ready the moment shutdown begins, so a load balancer stops sending requests here.
    if (lifecycle.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const ready = await readiness(ctx);
    const detailed = (await operatorIfAny(ctx, bootstrapToken, req)) !== undefined;
    res
      .status(ready.status === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(detailed ? ready : { status: ready.status });
  });
  return router;
}
