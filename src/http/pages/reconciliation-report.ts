import { stringify } from 'csv-stringify/sync';
import type { RunReport } from '../../services/reconciliation/report.js';
import { escapeHtml } from './render.js';

/**
 * The report as CSV: one line per discrepancy. Cells come partly from the carrier's statement, so
 * a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR, and their
 * full-width forms) is prefixed with `'` (csv-stringify's `escape_formulas`, per OWASP's advice).
 */
export function reportCsv(report: RunReport): string {
  return stringify(
    report.discrepancies.map((d) => [
      d.class,
      d.referenceCode,
      d.paymentId,
      d.gatewayAmount,
      d.carrierAmount,
      d.detail,
    ]),
    {
      header: true,
      columns: ['class', 'reference_code', 'payment_id', 'gateway_amount', 'carrier_amount', 'detail'],
      escape_formulas: true,
    },
  );
}

/** The report as a small self-contained HTML page an operator can read and print. */
export function reportHtml(report: RunReport): string {
  const counts = Object.entries(report.counts)
    .map(([k, n]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(n)}</td></tr>`)
    .join('');
  const totals = Object.entries(report.totals)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)} ${escapeHtml(report.currency)}</td></tr>`)
    .join('');
  const rows = report.discrepancies
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.class)}</td><td><code>${escapeHtml(d.referenceCode)}</code></td><td>${escapeHtml(d.paymentId)}</td><td>${escapeHtml(d.gatewayAmount)}</td><td>${escapeHtml(d.carrierAmount)}</td><td>${escapeHtml(d.detail)}</td><td>${escapeHtml(d.resolutionNote)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reconciliation ${escapeHtml(report.carrierId)} ${escapeHtml(report.period)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1d1d1f}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f4f4f4}code{font-size:13px}</style></head>
<body><h1>Reconciliation of ${escapeHtml(report.carrierId)}, ${escapeHtml(report.period)}</h1>
<p>Run <code>${escapeHtml(report.runId)}</code> of statement <code>${escapeHtml(report.statementId)}</code>.</p>
<h2>Counts</h2><table>${counts}</table><h2>Totals</h2><table>${totals}</table>
<h2>Discrepancies</h2>${rows ? `<table><tr><th>class</th><th>reference</th><th>payment</th><th>gateway</th><th>carrier</th><th>detail</th><th>resolution</th></tr>${rows}</table>` : '<p>None: every line matched.</p>'}
</body></html>`;
}
