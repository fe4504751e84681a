import { formatForPeople } from '../../domain/money.js';
import type { Overview } from '../../services/operators/overview.js';
import { table, volumeChart } from './dashboard.js';
import { escapeHtml } from './render.js';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);

/** Today's and this month's charges per carrier and currency, side by side. */
function volumeTable(o: Overview): string {
  const keys = [...new Set([...o.volume.thisMonth, ...o.volume.today].map((v) => `${v.carrierId} ${v.currency}`))];
  const rows = keys.map((key) => {
    const [carrierId = '', currency = ''] = key.split(' ');
    const cell = (list: Overview['volume']['today']) => {
      const v = list.find((x) => x.carrierId === carrierId && x.currency === currency);
      return v ? [escapeHtml(v.payments), escapeHtml(formatForPeople(v.amountMinor, currency))] : ['0', '—'];
    };
    return [escapeHtml(carrierId), ...cell(o.volume.today), ...cell(o.volume.thisMonth)];
  });
  return table(['carrier', 'payments today', 'charged today', 'payments this month', 'charged this month'], rows);
}

function funnelTable(o: Overview): string {
  const { today: t, thisMonth: m } = o.funnel;
  const row = (step: string, a: number, ar: number | null, b: number, br: number | null) => [
    escapeHtml(step),
    escapeHtml(a),
    percent(ar),
    escapeHtml(b),
    percent(br),
  ];
  return (
    table(
      ['step', 'today', 'of the step before', 'this month', 'of the step before'],
      [
        row('prepared (code sent)', t.prepared, null, m.prepared, null),
        row('validated', t.validated, t.validatedRate, m.validated, m.validatedRate),
        row('confirmed', t.confirmed, t.confirmedRate, m.confirmed, m.confirmedRate),
        row('succeeded', t.succeeded, t.succeededRate, m.succeeded, m.succeededRate),
      ],
    ) +
    `<p class="muted">Prepared to succeeded: today ${percent(t.overallRate)}, this month ${percent(m.overallRate)}.</p>`
  );
}

function carriersTable(o: Overview): string {
  return table(
    ['carrier', 'circuit', 'calls (5 min)', 'no answer', 'median', '95th percentile'],
    o.carriers.map((c) => [
      `${escapeHtml(c.name)} <code>${escapeHtml(c.carrierId)}</code>`,
      `<span class="circuit-${escapeHtml(c.circuit)}">${escapeHtml(c.circuit)}</span>`,
      escapeHtml(c.calls),
      c.calls ? percent(c.failureRate) : '—',
      c.calls ? `${Math.round(c.p50Ms)} ms` : '—',
      c.calls ? `${Math.round(c.p95Ms)} ms` : '—',
    ]),
  );
}

function backlogTable(o: Overview): string {
  const b = o.backlogs;
  return table(
    ['what waits', 'how many'],
    [
      ['manual review', `<a href="/admin/payments?status=manual_review">${escapeHtml(b.manualReview)}</a>`],
      ['recovery (outcome not known yet)', escapeHtml(b.recovery)],
      [
        'notifications not delivered',
        `${escapeHtml(b.outbox)}${b.outbox ? ` (oldest ${Math.round(b.oldestUndeliveredSeconds)} s)` : ''}`,
      ],
    ],
  );
}

/** The overview: everything an operator needs at a glance, in one server-rendered page. */
export function overviewBody(o: Overview): string {
  const declines = table(
    ['reason', 'payments'],
    o.declines.map((d) => [`<code>${escapeHtml(d.reason)}</code>`, escapeHtml(d.payments)]),
  );
  return `<section id="volume"><h2>Charged, by carrier (UTC days and months)</h2>${volumeTable(o)}</section>
<section id="chart"><h2>Charged payments per day and carrier (14 days)</h2>${volumeChart(o.daily)}</section>
<section id="funnel"><h2>Two-step payments, step by step</h2>${funnelTable(o)}</section>
<section id="declines"><h2>Refused this month, by reason</h2>${declines}</section>
<section id="carriers"><h2>Carriers, as this instance sees them</h2>${carriersTable(o)}</section>
<section id="backlogs"><h2>What waits</h2>${backlogTable(o)}</section>`;
}
