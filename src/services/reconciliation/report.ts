import { errors } from '../../domain/errors.js';
import { pageWindow } from '../paging.js';
import { toDecimal } from '../../domain/money.js';
import { DISCREPANCY_CLASSES, type DiscrepancyClass } from '../../domain/statement.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import type { DiscrepancyRecord, RunRecord } from '../../ports/store/reconciliation.js';

/** How many discrepancies a report carries inline; the rest are paged through /discrepancies. */
const INLINE = 1000;

function discrepancyView(run: RunRecord, d: DiscrepancyRecord) {
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
export async function runReport(ctx: Context, run: RunRecord) {
  const totals = Object.fromEntries(
    Object.entries(run.totals).map(([k, v]) => [k, toDecimal(BigInt(v), run.currency)]),
  );
  return {
    runId: run.id,
    carrierId: run.carrier_id,
    period: run.period,
    statementId: run.statement_id,
    currency: run.currency,
    counts: run.counts,
    totals,
    discrepancies: (await ctx.store.reconciliation.discrepancies(run.id, undefined, INLINE, 0)).map((d) =>
      discrepancyView(run, d),
    ),
  };
}

export type RunReport = Awaited<ReturnType<typeof runReport>>;

async function ownRun(ctx: Context, runId: string): Promise<RunRecord> {
  const run = await ctx.store.reconciliation.findRun(runId);
  if (!run) throw errors.notFound('No such reconciliation run.');
  return run;
}

export async function reportOf(ctx: Context, runId: string) {
  return runReport(ctx, await ownRun(ctx, runId));
}

function isDiscrepancyClass(cls: string): cls is DiscrepancyClass {
  return (DISCREPANCY_CLASSES as readonly string[]).includes(cls);
}

export async function discrepancyList(
  ctx: Context,
  runId: string,
  cls: string | undefined,
  page: number,
  perPage: number,
) {
  if (cls !== undefined && !isDiscrepancyClass(cls))
    throw errors.invalidArgument(`class must be one of ${DISCREPANCY_CLASSES.join(', ')}.`);
  const run = await ownRun(ctx, runId);
  const { limit, offset } = pageWindow(page, perPage, 1000);
  const found = await ctx.store.reconciliation.discrepancies(runId, cls, limit, offset);
  return found.map((d) => discrepancyView(run, d));
}

export async function resolve(ctx: Context, by: OperatorPrincipal, runId: string, discrepancyId: string, note: string) {
  requireAdmin(by);
  const run = await ownRun(ctx, runId);
  if (!/^\d{1,18}$/.test(discrepancyId)) throw errors.notFound('No such discrepancy.');
  const resolved = await ctx.store.transaction(async (tx) => {
    const done = await tx.reconciliation.resolveDiscrepancy(runId, discrepancyId, note, ctx.clock.now());
    if (!done) throw errors.notFound('No such discrepancy.');
    await tx.audit.recordAction({
      actor: actorOf(by),
      event: 'discrepancy_resolved',
      detail: { by: by.name, runId, discrepancyId, note },
    });
    return done;
  });
  return discrepancyView(run, resolved);
}

export async function recentRuns(ctx: Context) {
  return (await ctx.store.reconciliation.listRuns(100)).map((r) => ({
    runId: r.id,
    carrierId: r.carrier_id,
    period: r.period,
    statementId: r.statement_id,
    counts: r.counts,
    createdAt: r.created_at.toISOString(),
  }));
}
