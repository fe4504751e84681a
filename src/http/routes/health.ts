import { Router } from 'express';
import type { Context } from '../../services/context.js';
import { readiness } from '../../services/operators/health.js';

/** Liveness (the process answers) and readiness (the database answers; each carrier's circuit). */
export function healthRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const ready = await readiness(ctx);
    res.status(ready.status === 'ok' ? 200 : 503).json(ready);
  });
  return router;
}
