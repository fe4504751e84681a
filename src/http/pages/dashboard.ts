import type { DailyVolume } from '../../services/operators/overview.js';
import { escapeHtml } from './render.js';

/** Who is signed in, and the form token every form of the dashboard carries. */
export interface SignedIn {
  operatorName: string;
  role: 'viewer' | 'admin';
  formToken: string;
}

/** A hidden field with the session's form token, for every POST form of the dashboard. */
export function formTokenField(who: SignedIn): string {
  return `<input type="hidden" name="form" value="${escapeHtml(who.formToken)}">`;
}

/** The operator dashboard's frame: navigation, no script, no external resource. */
export function dashboardPage(who: SignedIn, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Gateway operator</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
nav{background:#1d1d1f;padding:.6rem 1rem}nav a{color:#fff;margin-right:1rem;text-decoration:none}nav form{display:inline;float:right}
nav .who{color:#ccc;font-size:13px}nav button{background:none;border:1px solid #888;color:#fff;border-radius:6px;padding:.1rem .6rem}
main{padding:1rem 1.5rem;max-width:72rem}table{border-collapse:collapse;margin:.8rem 0;background:#fff}
th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
form.search input,form.search select{margin-right:.5rem;padding:.2rem}form.action{display:inline-block;margin:.3rem .5rem .3rem 0}code{font-size:13px}.muted{color:#6e6e73}
</style></head><body><nav><a href="/admin">Overview</a><a href="/admin/payments">Payments</a><a href="/admin/payments?status=manual_review">Manual review</a>
<a href="/admin/merchants">Merchants</a><a href="/admin/grants">Consents and grants</a><a href="/admin/risk">Risk</a><a href="/admin/reconciliations">Reconciliation</a><a href="/admin/jobs">Jobs</a>
<form method="post" action="/admin/logout">${formTokenField(who)}<span class="who">${escapeHtml(who.operatorName)} (${escapeHtml(who.role)})</span> <button type="submit">Sign out</button></form></nav><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">Nothing to show.</p>';
  return `<table><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

const COLORS = ['#0071e3', '#34c759', '#ff9f0a', '#af52de', '#ff3b30'];

/** Daily charged volume per carrier as an inline SVG bar chart (stacked by carrier). */
export function volumeChart(rows: DailyVolume[]): string {
  if (rows.length === 0) return '<p class="muted">No charged payments in the last 14 days.</p>';
  const days = [...new Set(rows.map((r) => r.day))];
  const carriers = [...new Set(rows.map((r) => r.carrier_id))];
  const totals = days.map((d) => rows.filter((r) => r.day === d).reduce((s, r) => s + Number(r.payments), 0));
  const max = Math.max(1, ...totals);
  const width = 40 * days.length + 20;
  const bars = days
    .map((day, i) => {
      let y = 160;
      return (
        carriers
          .map((c, k) => {
            const n = Number(rows.find((r) => r.day === day && r.carrier_id === c)?.payments ?? 0);
            const h = (n / max) * 140;
            y -= h;
            return n
              ? `<rect x="${10 + i * 40}" y="${y}" width="28" height="${h}" fill="${COLORS[k % COLORS.length]}"><title>${escapeHtml(`${day} ${c}: ${n}`)}</title></rect>`
              : '';
          })
          .join('') +
        `<text x="${24 + i * 40}" y="176" font-size="9" text-anchor="middle">${escapeHtml(day.slice(5))}</text>`
      );
    })
    .join('');
  const legend = carriers
    .map((c, k) => `<span style="color:${COLORS[k % COLORS.length]}">■</span> ${escapeHtml(c)}`)
    .join(' &nbsp; ');
  return `<figure><svg role="img" aria-label="Charged payments per day and carrier" width="${width}" height="180" viewBox="0 0 ${width} 180">${bars}</svg><figcaption>${legend}</figcaption></figure>`;
}
