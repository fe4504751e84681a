import type { Context } from '../context.js';

/** Readiness: whether the database answers, and each carrier's circuit. */
export async function readiness(ctx: Context) {
  const database = (await ctx.store.ping()) ? 'ok' : 'down';
  return {
    status: database,
    database,
    carriers: ctx.carriers.all().map((c) => ({
      carrierId: c.config.id,
      protocol: c.config.protocol,
      circuit: c.breaker.state(),
    })),
  };
}
