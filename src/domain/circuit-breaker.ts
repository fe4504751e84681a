export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * A per-carrier circuit breaker. After `failureThreshold` consecutive failures it opens: new
 * payments fail fast instead of piling up on a dead carrier. After `openMs` it lets one probe
 * through (half-open); the probe's success closes it, a failure opens it again. Pure: the clock
 * is handed in.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probeStartedAt: number | undefined;

  constructor(
    private readonly failureThreshold: number,
    private readonly openMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half_open' : 'open';
  }

  /**
   * Whether a new payment may be started now; in half-open state only one probe at a time. A probe
   * that never reached the carrier (refused by a limit, say) gives way to another after `openMs`.
   */
  allowRequest(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.probeStartedAt !== undefined && this.now() - this.probeStartedAt < this.openMs) return false;
    this.probeStartedAt = this.now();
    return true;
  }

  /** Seconds until a probe will be allowed (for Retry-After). */
  retryAfterSeconds(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(1, Math.ceil((this.openedAt + this.openMs - this.now()) / 1000));
  }

  record(success: boolean): void {
    if (success) {
      this.failures = 0;
      this.openedAt = undefined;
      this.probeStartedAt = undefined;
      return;
    }
    this.failures += 1;
    if (this.probeStartedAt !== undefined || this.failures >= this.failureThreshold) {
      this.openedAt = this.now();
      this.probeStartedAt = undefined;
    }
  }
}
