import type { Context } from '../context.js';

/** Readiness: whether the database answers, and each carrier's circuit. */
export async function readiness(ctx: Context) {
  const database = (await ctx.store.ping()) ? 'ok' : 'down';
  return {
    status: database,
    database,
    // Limits shared through Redis, or (Redis away) each instance's own: still serving either way.
    limits: ctx.cache.degraded() ? 'local' : 'shared',
    carriers: ctx.carriers.all().map((c) => ({
      carrierId: c.config.id,
      protocol: c.config.protocol,
      circuit: c.breaker.state(),
    })),
  };
}
