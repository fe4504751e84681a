import type { RequestHandler } from 'express';

/** Whether the gateway is shutting down: it finishes what it started and takes nothing new. */
export interface Lifecycle {
  readonly draining: boolean;
}

/**
 * While the gateway drains, a request that still reaches it (on a kept-alive connection) is
 * refused with 503 and the connection closed, so the client retries on another instance.
 */
export function refuseWhileDraining(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (!lifecycle.draining) {
      next();
      return;
    }
    res
      .set({ Connection: 'close', 'Retry-After': '1' })
      .status(503)
      .json({ status: 503, code: 'UNAVAILABLE', message: 'The gateway is shutting down; try again.' });
  };
}
