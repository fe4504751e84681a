import { Router } from 'express';
import type { Context } from '../../services/context.js';
import { readiness } from '../../services/operators/health.js';
import type { Lifecycle } from '../middleware/draining.js';

/**
 * Liveness (the process answers) and readiness (not shutting down, the database answers; each
 * carrier's circuit).
 */
export function healthRoutes(ctx: Context, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    // Not ready the moment shutdown begins, so a load balancer stops sending requests here.
    if (lifecycle.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const ready = await readiness(ctx);
    res.status(ready.status === 'ok' ? 200 : 503).json(ready);
  });
  return router;
}
