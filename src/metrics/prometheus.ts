import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../ports/metrics.js';
import type { Backlogs } from '../ports/store/store.js';

/** What is read at each scrape rather than counted as it happens. */
export interface Snapshot {
  backlogs(): Promise<Backlogs>;
  /** Each carrier's circuit: closed, half_open or open. */
  circuits(): Array<{ carrierId: string; state: 'closed' | 'half_open' | 'open' }>;
  /** Whether limits are this instance's own for now (Redis away). */
  limitsLocal(): boolean;
}

const CIRCUIT_STATES = ['closed', 'half_open', 'open'] as const;
const BACKLOG_CACHE_MS = 5_000;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's metrics on prom-client, in a registry of their own (several gateways can run in one
 * process, as the tests do). Names follow Prometheus conventions: `cbg_` prefix, `_total` counters,
 * `_seconds` durations; no label ever holds a payment id or a phone number.
 */
export function prometheusMetrics(snapshot: Snapshot): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'cbg_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'cbg_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route template.',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const payments = new Counter({
    name: 'cbg_payments_total',
    help: 'Payments entering a state, by state, carrier and merchant.',
    labelNames: ['status', 'carrier', 'merchant'],
    registers,
  });
  const carrierCalls = new Counter({
    name: 'cbg_carrier_calls_total',
    help: 'Calls to carriers, by carrier, operation and outcome class.',
    labelNames: ['carrier', 'operation', 'outcome'],
    registers,
  });
  const carrierDuration = new Histogram({
    name: 'cbg_carrier_call_duration_seconds',
    help: 'Time a carrier took to answer (retries included), by carrier and operation.',
    labelNames: ['carrier', 'operation'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const sms = new Counter({
    name: 'cbg_sms_total',
    help: 'SMS handed to carriers, by carrier, purpose (consent_code, gift_certificate) and whether the carrier took it.',
    labelNames: ['carrier', 'purpose', 'outcome'],
    registers,
  });
  const validationFailures = new Counter({
    name: 'cbg_code_validations_failed_total',
    help: 'Consent codes refused, by reason.',
    labelNames: ['reason'],
    registers,
  });
  const refunds = new Counter({
    name: 'cbg_refunds_total',
    help: 'Refunds as the carrier answered them, by status.',
    labelNames: ['status'],
    registers,
  });
  const redemptions = new Counter({
    name: 'cbg_redemptions_total',
    help: 'Gift-certificate redemptions, by outcome.',
    labelNames: ['outcome'],
    registers,
  });
  const riskDecisions = new Counter({
    name: 'cbg_risk_decisions_total',
    help: 'New payments decided by the risk rules, by decision (allow, review, step_up, deny).',
    labelNames: ['decision'],
    registers,
  });
  const jobRuns = new Counter({
    name: 'cbg_job_runs_total',
    help: 'Scheduled job runs, by job and outcome.',
    labelNames: ['job', 'outcome'],
    registers,
  });
  const jobDuration = new Histogram({
    name: 'cbg_job_duration_seconds',
    help: 'Time a scheduled job run took, by job.',
    labelNames: ['job'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'cbg_carrier_circuit_state',
    help: 'Each carrier circuit breaker: 1 for the state it is in, 0 for the others.',
    labelNames: ['carrier', 'state'],
    registers,
    collect() {
      this.reset();
      for (const { carrierId, state } of snapshot.circuits()) {
        for (const s of CIRCUIT_STATES) this.set({ carrier: carrierId, state: s }, s === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'cbg_limits_shared',
    help: '1 while rate limits and guessing brakes are shared through Redis; 0 while each instance keeps its own (Redis away).',
    registers,
    collect() {
      this.set(snapshot.limitsLocal() ? 0 : 1);
    },
  });
  // One query for the four backlog gauges, and at most one every few seconds however often scraped.
  let backlogs: { at: number; read: Promise<Backlogs> } | undefined;
  const currentBacklogs = () => {
    if (!backlogs || Date.now() - backlogs.at > BACKLOG_CACHE_MS) {
      // A failed read is not kept: the next scrape asks again.
      const read = snapshot.backlogs().catch((error: unknown) => {
        backlogs = undefined;
        throw error;
      });
      backlogs = { at: Date.now(), read };
    }
    return backlogs.read;
  };
  const backlogGauge = (name: string, help: string, read: (b: Backlogs) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(read(await currentBacklogs()));
      },
    });
  backlogGauge('cbg_manual_review_payments', 'Payments waiting in manual review.', (b) => b.manualReview);
  backlogGauge('cbg_recovery_backlog', 'Charges and refunds whose outcome is not known yet.', (b) => b.recovery);
  backlogGauge('cbg_outbox_backlog', 'Notifications not yet delivered.', (b) => b.outbox);
  backlogGauge(
    'cbg_outbox_oldest_undelivered_age_seconds',
    'How long the oldest undelivered notification has waited.',
    (b) => b.oldestUndeliveredSeconds,
  );

  return {
    httpRequest(method, route, status, seconds) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },
    paymentReached(status, carrierId, merchantId) {
      payments.inc({ status, carrier: carrierId, merchant: merchantId });
    },
    carrierCall(carrierId, operation, outcome, seconds) {
      carrierCalls.inc({ carrier: carrierId, operation, outcome });
      carrierDuration.observe({ carrier: carrierId, operation }, seconds);
    },
    smsSent(carrierId, purpose, delivered) {
      sms.inc({ carrier: carrierId, purpose, outcome: delivered ? 'sent' : 'failed' });
    },
    validationFailed(reason) {
      validationFailures.inc({ reason });
    },
    refundSettled(status) {
      refunds.inc({ status });
    },
    redemption(outcome) {
      redemptions.inc({ outcome });
    },
    riskDecision(decision) {
      riskDecisions.inc({ decision });
    },
    jobRun(job, succeeded, seconds) {
      jobRuns.inc({ job, outcome: succeeded ? 'succeeded' : 'failed' });
      jobDuration.observe({ job }, seconds);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
