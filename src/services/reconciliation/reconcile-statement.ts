import type { Readable } from 'node:stream';
import { ApiError, errors } from '../../domain/errors.js';
import { EmptyStatementError, periodBounds, StatementFormatError } from '../../domain/statement.js';
import type { Context } from '../context.js';
import { merchantName } from '../merchant-name.js';
import { randomId } from '../keys.js';
import { settleCharge } from '../payments/settle-charge.js';
import type { RunRecord } from '../../ports/store/reconciliation.js';

const ACTOR = 'reconciliation';

/**
 * Reconciles one carrier's statement for one period: imports it (whole or not at all), classifies
 * every difference against the gateway's records, and lets the statement settle what only it can
 * tell — a charge whose outcome the gateway never learned. The same statement twice is the same run.
 */
export async function reconcileStatement(
  ctx: Context,
  carrierId: string,
  period: string,
  input: Readable,
  format?: string,
): Promise<RunRecord> {
  const carrier = ctx.carriers.get(carrierId);
  if (!carrier) throw errors.invalidArgument(`Unknown carrier "${carrierId}".`);
  const bounds = periodBounds(period);
  if (!bounds) throw errors.invalidArgument('period must be YYYY-MM.');
  const parse = ctx.statementParsers[format ?? carrier.config.statement.format];
  if (!parse) throw errors.invalidArgument(`Unknown statement format "${format}".`);

  let imported;
  try {
    imported = await ctx.store.reconciliation.importStatement(parse(input), { carrierId, period });
  } catch (error) {
    // An empty statement stays itself: the monthly job records an empty month, the API a 400.
    if (error instanceof EmptyStatementError) throw error;
    if (error instanceof StatementFormatError)
      throw new ApiError(400, 'INVALID_ARGUMENT', `Malformed statement: ${error.message}. Nothing was imported.`);
    throw error;
  }

  const { run } = await ctx.store.reconciliation.recordRun(imported, randomId('rec_', 12), bounds, ctx.clock.now());
  // Also for a repeated statement: a run interrupted after its commit resumes settling here.
  await settleFromStatement(ctx, run);
  return run;
}

/**
 * A `missing_at_gateway` charge whose reference is one of our own charges of unknown outcome
 * (recovery could not tell, or has not yet) happened: the statement says so. It settles the
 * payment as succeeded the way recovery would, gift certificate included, and the discrepancy is
 * resolved once the payment did succeed by that charge (also when a run interrupted after
 * settling comes back to it).
 */
async function settleFromStatement(ctx: Context, run: RunRecord): Promise<void> {
  const all = [];
  for (let page = 0; ; page++) {
    const batch = await ctx.store.reconciliation.discrepancies(run.id, 'missing_at_gateway', 1000, page * 1000);
    all.push(...batch.filter((d) => d.resolved_at === null));
    if (batch.length < 1000) break;
  }
  for (const d of all) {
    if (!d.payment_id || d.carrier_amount === null || d.carrier_amount <= 0n) continue;
    let payment = await ctx.store.payments.find(d.payment_id);
    if (!payment || payment.amount_minor !== d.carrier_amount) continue;
    const operations = await ctx.store.operations.ofPayment(payment.id);
    const charge = operations.find((o) => o.id === d.reference_code);
    if (charge?.operation !== 'charge_reservation' && charge?.operation !== 'charge_amount') continue;
    if (payment.status === 'charging' || payment.status === 'manual_review') {
      const name = await merchantName(ctx, payment.merchant_id);
      const charged = { outcome: { kind: 'succeeded' as const, value: undefined }, tries: 0 };
      payment = await settleCharge(ctx, payment, charge.id, charged, name, ACTOR, true);
      await ctx.store.audit.record({
        paymentId: payment.id,
        merchantId: payment.merchant_id,
        actor: ACTOR,
        event: 'settled_from_statement',
        detail: { runId: run.id, statementId: run.statement_id, status: payment.status },
      });
    }
    if (payment.status !== 'succeeded') continue;
    const note = `settled as succeeded from statement ${run.statement_id}`;
    await ctx.store.reconciliation.resolveDiscrepancy(run.id, String(d.id), note, ctx.clock.now());
  }
}
