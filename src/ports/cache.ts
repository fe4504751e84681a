/**
 * Short-lived shared state: rate-limit counters, and news every instance must hear (a merchant
 * stopped: forget its cached tokens). Never the only copy of anything that matters;
 * losing it loses nothing but limits. (Locks that guard money are PostgreSQL's row and advisory
 * locks, next to the data they protect.)
 */
/** A slot of a window, as `take` handed it out. */
export interface Slot {
  readonly key: string;
  /** Which window of the key (an id its opening gave it), so a slot goes back only into its own. */
  readonly window: string;
  /** Taken from this instance's own counters (the shared ones were away). */
  readonly local?: boolean;
}

export interface Cache {
  /** Adds one to a fixed-window counter and returns the new count; the window starts on first hit. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /**
   * Takes one of `limit` slots of the key's window, opening one of `windowSeconds` when none is
   * open (as `hit` does: a burst is never split by a clock boundary into two windows' worth),
   * atomically: of any number of concurrent takers at most `limit` get a slot; the others get
   * undefined and take nothing. The slot names its window, so giving it back never frees a slot
   * of a later one.
   */
  take(key: string, windowSeconds: number, limit: number): Promise<Slot | undefined>;
  /** Gives back a slot taken for something that did not happen (or did not count). */
  giveBack(slot: Slot): Promise<void>;
  /** The current count of a window, without adding to it (0 when none is open). */
  count(key: string): Promise<number>;
  /** Whether the counters are this instance's own for now (the shared store is away): limits are then per instance. */
  degraded(): boolean;
  /** Tells every instance's subscribers of `channel` (this one's included). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Hears `channel`. When news may have been missed (the connection to the other instances was
   * lost and is back), the listener hears `undefined`: assume anything changed.
   */
  subscribe(channel: string, listener: (message: string | undefined) => void): Promise<void>;
  close(): Promise<void>;
}
