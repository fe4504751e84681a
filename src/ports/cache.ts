/**
 * Short-lived shared state: rate-limit counters. Never the only copy of anything that matters;
 * losing it loses nothing but limits. (Locks that guard money are PostgreSQL's row and advisory
 * locks, next to the data they protect.)
 */
export interface Cache {
  /** Adds one to a fixed-window counter and returns the new count; the window starts on first hit. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /** The current count of a window, without adding to it (0 when none is open). */
  count(key: string): Promise<number>;
  close(): Promise<void>;
}
