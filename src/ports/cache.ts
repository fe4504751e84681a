/**
 * Short-lived shared state: rate-limit counters, and news every instance must hear (a merchant
 * stopped: forget its cached tokens). Never the only copy of anything that matters;
 * losing it loses nothing but limits. (Locks that guard money are PostgreSQL's row and advisory
 * locks, next to the data they protect.)
 */
export interface Cache {
  /** Adds one to a fixed-window counter and returns the new count; the window starts on first hit. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /**
   * Takes one of `limit` slots of a fixed window, atomically: of any number of concurrent takers
   * at most `limit` get true; the others get false and take nothing.
   */
  take(key: string, windowSeconds: number, limit: number): Promise<boolean>;
  /** Gives back a slot taken for something that did not happen, if its window is still open. */
  giveBack(key: string): Promise<void>;
  /** The current count of a window, without adding to it (0 when none is open). */
  count(key: string): Promise<number>;
  /** Tells every instance's subscribers of `channel` (this one's included). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Hears `channel`. When news may have been missed (the connection to the other instances was
   * lost and is back), the listener hears `undefined`: assume anything changed.
   */
  subscribe(channel: string, listener: (message: string | undefined) => void): Promise<void>;
  close(): Promise<void>;
}
