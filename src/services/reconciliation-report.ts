import { errors } from '../domain/errors.js';
import { toDecimal } from '../domain/money.js';
import { DISCREPANCY_CLASSES, discrepanciesOf, findRun, listRuns, resolveDiscrepancy, type DiscrepancyRow, type RunRow } from '../store/reconciliation-repo.js';
import type { Context } from './context.js';

/** How many discrepancies a report carries inline; the rest are paged through /discrepancies. */
const INLINE = 1000;

function discrepancyView(run: RunRow, d: DiscrepancyRow) {
  const money = (v: bigint | null) => (v === null ? undefined : toDecimal(v, run.currency));
  return {
    discrepancyId: String(d.id),
    class: d.class,
    referenceCode: d.reference_code,
    ...(d.payment_id ? { paymentId: d.payment_id } : {}),
    ...(d.gateway_amount !== null ? { gatewayAmount: money(d.gateway_amount) } : {}),
    ...(d.carrier_amount !== null ? { carrierAmount: money(d.carrier_amount) } : {}),
    detail: d.detail,
    ...(d.resolved_at ? { resolvedAt: d.resolved_at.toISOString(), resolutionNote: d.resolution_note } : {}),
  };
}

/** The report of CONTRACTS §5. */
export async function runReport(ctx: Context, run: RunRow) {
  const totals = Object.fromEntries(Object.entries(run.totals).map(([k, v]) => [k, toDecimal(BigInt(v), run.currency)]));
  return {
    runId: run.id,
    carrierId: run.carrier_id,
    period: run.period,
    statementId: run.statement_id,
    currency: run.currency,
    counts: run.counts,
    totals,
    discrepancies: (await discrepanciesOf(ctx.db, run.id, undefined, INLINE)).map((d) => discrepancyView(run, d)),
  };
}

export type RunReport = Awaited<ReturnType<typeof runReport>>;

async function ownRun(ctx: Context, runId: string): Promise<RunRow> {
  const run = await findRun(ctx.db, runId);
  if (!run) throw errors.notFound('No such reconciliation run.');
  return run;
}

export async function reportOf(ctx: Context, runId: string) {
  return runReport(ctx, await ownRun(ctx, runId));
}

export async function discrepancyList(ctx: Context, runId: string, cls: string | undefined, page: number, perPage: number) {
  if (cls !== undefined && !(DISCREPANCY_CLASSES as readonly string[]).includes(cls)) throw errors.invalidArgument(`class must be one of ${DISCREPANCY_CLASSES.join(', ')}.`);
  const run = await ownRun(ctx, runId);
  return (await discrepanciesOf(ctx.db, runId, cls, perPage, (page - 1) * perPage)).map((d) => discrepancyView(run, d));
}

export async function resolve(ctx: Context, runId: string, discrepancyId: string, note: string) {
  const run = await ownRun(ctx, runId);
  const resolved = /^\d{1,18}$/.test(discrepancyId) ? await resolveDiscrepancy(ctx.db, runId, discrepancyId, note, ctx.clock.now()) : undefined;
  if (!resolved) throw errors.notFound('No such discrepancy.');
  return discrepancyView(run, resolved);
}

export async function recentRuns(ctx: Context) {
  return (await listRuns(ctx.db)).map((r) => ({ runId: r.id, carrierId: r.carrier_id, period: r.period, statementId: r.statement_id, counts: r.counts, createdAt: r.created_at.toISOString() }));
}

/** The report as CSV: one line per discrepancy, after a summary comment. */
export function reportCsv(report: RunReport): string {
  const esc = (v: unknown) => (v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = ['class,reference_code,payment_id,gateway_amount,carrier_amount,detail'];
  for (const d of report.discrepancies) lines.push([d.class, d.referenceCode, d.paymentId, d.gatewayAmount, d.carrierAmount, d.detail].map(esc).join(','));
  return `${lines.join('\n')}\n`;
}

/** The report as a small self-contained HTML page an operator can read and print. */
export function reportHtml(report: RunReport): string {
  const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const counts = Object.entries(report.counts).map(([k, n]) => `<tr><th>${esc(k)}</th><td>${esc(n)}</td></tr>`).join('');
  const totals = Object.entries(report.totals).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)} ${esc(report.currency)}</td></tr>`).join('');
  const rows = report.discrepancies
    .map((d) => `<tr><td>${esc(d.class)}</td><td><code>${esc(d.referenceCode)}</code></td><td>${esc(d.paymentId)}</td><td>${esc(d.gatewayAmount)}</td><td>${esc(d.carrierAmount)}</td><td>${esc(d.detail)}</td><td>${esc(d.resolutionNote)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reconciliation ${esc(report.carrierId)} ${esc(report.period)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1d1d1f}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f4f4f4}code{font-size:13px}</style></head>
<body><h1>Reconciliation of ${esc(report.carrierId)}, ${esc(report.period)}</h1>
<p>Run <code>${esc(report.runId)}</code> of statement <code>${esc(report.statementId)}</code>.</p>
<h2>Counts</h2><table>${counts}</table><h2>Totals</h2><table>${totals}</table>
<h2>Discrepancies</h2>${rows ? `<table><tr><th>class</th><th>reference</th><th>payment</th><th>gateway</th><th>carrier</th><th>detail</th><th>resolution</th></tr>${rows}</table>` : '<p>None: every line matched.</p>'}
</body></html>`;
}
