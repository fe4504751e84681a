/**
 * Short-lived shared state: rate-limit counters and locks. Never the only copy of anything that
 * matters; losing it loses nothing but limits.
 */
export interface Cache {
  /** Adds one to a fixed-window counter and returns the new count; the window starts on first hit. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /** Takes a lock for `ttlMs` if nobody holds it; returns a token to release it with, or undefined. */
  tryLock(key: string, ttlMs: number): Promise<string | undefined>;
  unlock(key: string, token: string): Promise<void>;
  close(): Promise<void>;
}
