/** Recent calls kept per carrier: enough for a few minutes of traffic, bounded in memory. */
const KEPT = 2_000;

/**
 * The last calls this instance made to one carrier, for the dashboard's carrier health: how many
 * got no answer (not executed or unknown; a decline is an answer) and how long answers took.
 * Prometheus has the same per instance over any window; this is what one page can show.
 */
export class CallStats {
  private readonly calls: Array<{ at: number; answered: boolean; ms: number }> = [];

  record(answered: boolean, ms: number, at = Date.now()): void {
    this.calls.push({ at, answered, ms });
    if (this.calls.length > KEPT) this.calls.splice(0, this.calls.length - KEPT);
  }

  /** The calls of the last `windowMs`: their number, the share without an answer, median and 95th percentile latency. */
  summary(windowMs: number, now = Date.now()): { calls: number; failureRate: number; p50Ms: number; p95Ms: number } {
    const recent = this.calls.filter((c) => c.at > now - windowMs);
    const latencies = recent.map((c) => c.ms).sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      calls: recent.length,
      failureRate: recent.length ? recent.filter((c) => !c.answered).length / recent.length : 0,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
    };
  }
}
