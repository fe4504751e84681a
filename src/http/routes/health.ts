import { Router } from 'express';
import type { Context } from '../../services/context.js';

/** Liveness (the process answers) and readiness (the database answers; each carrier's circuit). */
export function healthRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const database = await ctx.db.query('SELECT 1').then(
      () => 'ok',
      () => 'down',
    );
    const carriers = ctx.carriers
      .all()
      .map((c) => ({ carrierId: c.config.id, protocol: c.config.protocol, circuit: c.breaker.state() }));
    res.status(database === 'ok' ? 200 : 503).json({ status: database === 'ok' ? 'ok' : 'down', database, carriers });
  });
  return router;
}
