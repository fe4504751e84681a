/**
 * The database cannot be reached now (restarting, failing over, too busy to connect): nothing the
 * client did, and nothing decided; the request may be repeated in a moment (every write of ours is
 * idempotent by the client's references). Answered 503 with Retry-After.
 */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super('the database is unavailable');
    this.name = 'StoreUnavailableError';
  }
}
