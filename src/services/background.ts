import type { Context } from './context.js';

/**
 * Lets work go on after the request that started it was answered (CAMARA's asynchronous
 * behaviour). Its failure is logged, never thrown: what it settles was recorded before it
 * started, so recovery finishes it should it fail or the process die.
 */
export function inBackground(ctx: Context, work: Promise<unknown>, about: Record<string, string>): void {
  work.catch((error: unknown) =>
    ctx.log.error({ ...about, err: error }, 'background work failed; recovery finishes it'),
  );
}
