import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { E164_PATTERN } from '../../domain/phone.js';
import type { Context, OperatorPrincipal } from '../../services/context.js';
import { closeSession, openSession } from '../../services/access/operator-session.js';
import { sessionCookie, signedIn as signedInPage, signedInForm, signedInOf } from '../middleware/dashboard-session.js';
import { authenticateOperator } from '../../services/access/operator-accounts.js';
import { ApiError } from '../../domain/errors.js';
import { paymentTimeline, searchPayments } from '../../services/operators/payments.js';
import { recentRuns, reportOf } from '../../services/reconciliation/report.js';
import { overview } from '../../services/operators/overview.js';
import { recentJobRuns } from '../../services/operators/job-runs.js';
import { formatForPeople, toMinorUnits } from '../../domain/money.js';
import { dashboardPage, table } from '../pages/dashboard.js';
import { overviewBody } from '../pages/overview.js';
import { reportHtml } from '../pages/reconciliation-report.js';
import { escapeHtml, page, sendHtml } from '../pages/render.js';
import { parseInput, text } from '../../services/input.js';
import { clientAddressOf, formFields, idParam } from '../validation.js';

const search = z.object({
  phoneNumber: z.union([z.literal(''), z.string().regex(E164_PATTERN)]).optional(),
  merchantId: z.union([z.literal(''), text(100)]).optional(),
  status: z.union([z.literal(''), text(40)]).optional(),
  from: z.union([z.literal(''), z.iso.date()]).optional(),
  to: z.union([z.literal(''), z.iso.date()]).optional(),
});

/**
 * The operator dashboard under /admin: sign in with an operator's token (then a server-side
 * session in an HttpOnly, SameSite=Strict cookie), payments search and timelines, merchants,
 * manual review, reconciliation runs, and a chart of daily volume per carrier. Server-rendered.
 */
export function dashboardRoutes(ctx: Context, bootstrapToken: string): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '2kb' });
  const login = (message = '') =>
    page(
      'en',
      'Operator sign-in',
      `<h1>Operator sign-in</h1><div class="card">${message ? `<p class="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/admin/login"><label for="token">Operator token</label><input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></div>`,
    );

  router.get('/admin/login', (_req, res) => sendHtml(res, 200, login()));
  router.post('/admin/login', form, async (req, res) => {
    let operator: OperatorPrincipal;
    try {
      operator = await authenticateOperator(ctx, bootstrapToken, formFields(req).text('token'), clientAddressOf(req));
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 429)) throw error;
      if (error.status === 429) res.set('Retry-After', '60');
      sendHtml(
        res,
        error.status,
        login(error.status === 429 ? 'Too many attempts. Wait a minute.' : 'That token is not right.'),
      );
      return;
    }
    const session = await openSession(ctx, operator);
    sessionCookie(ctx, req).set(res, session.id, session.maxAgeMs);
    res.redirect(303, '/admin');
  });

  const signedIn = signedInPage(ctx);

  router.post('/admin/logout', ...signedInForm(ctx), async (req: Request, res: Response) => {
    await closeSession(ctx, signedInOf(res).sessionId);
    sessionCookie(ctx, req).clear(res);
    res.redirect(303, '/admin/login');
  });

  router.get('/admin', signedIn, async (_req, res) => {
    sendHtml(res, 200, dashboardPage(signedInOf(res), 'Overview', overviewBody(await overview(ctx, 14))));
  });

  router.get('/admin/payments', signedIn, async (req, res) => {
    const q = parseInput(search, req.query);
    const day = (d: string | undefined, end = false) =>
      d ? new Date(`${d}T${end ? '23:59:59.999' : '00:00:00'}Z`) : undefined;
    const found = await searchPayments(ctx, {
      phoneNumber: q.phoneNumber || undefined,
      merchantId: q.merchantId || undefined,
      status: q.status || undefined,
      from: day(q.from),
      to: day(q.to, true),
      page: 1,
      perPage: 100,
    });
    const value = (k: keyof typeof q) => escapeHtml(q[k] ?? '');
    const controls = `<form class="search" method="get" action="/admin/payments">
<input name="phoneNumber" placeholder="+8210…" value="${value('phoneNumber')}" aria-label="Phone number"><input name="merchantId" placeholder="merchant id" value="${value('merchantId')}" aria-label="Merchant">
<input name="status" placeholder="status" value="${value('status')}" aria-label="Status"><input name="from" type="date" value="${value('from')}" aria-label="From"><input name="to" type="date" value="${value('to')}" aria-label="To">
<button type="submit">Search</button></form>`;
    const rows = found.payments.map((p) => [
      `<a href="/admin/payments/${escapeHtml(p.paymentId)}"><code>${escapeHtml(p.paymentId)}</code></a>`,
      escapeHtml(p.amountTransaction.phoneNumber),
      escapeHtml(formatForPeople(toMinorUnits(p.amount.amount, p.amount.currency), p.amount.currency)),
      `${escapeHtml(p.merchantName)} <code>${escapeHtml(p.merchantId)}</code>`,
      escapeHtml(p.carrierId),
      escapeHtml(p.status),
      escapeHtml(p.paymentCreationDate),
    ]);
    sendHtml(
      res,
      200,
      dashboardPage(
        signedInOf(res),
        'Payments',
        `${controls}<p class="muted">${found.total} found</p>${table(['payment', 'phone', 'amount', 'merchant', 'carrier', 'status', 'created'], rows)}`,
      ),
    );
  });

  router.get('/admin/payments/:paymentId', signedIn, async (req, res) => {
    const p = await paymentTimeline(ctx, idParam(req, 'paymentId'));
    const events = p.timeline.map((e) => [
      escapeHtml(e.at),
      escapeHtml(e.actor),
      escapeHtml(e.event),
      escapeHtml(`${e.fromStatus ?? ''} → ${e.toStatus ?? ''}`),
      escapeHtml(e.smsText ?? ''),
    ]);
    const ops = p.operations.map((o) => [
      `<code>${escapeHtml(o.operationId)}</code>`,
      escapeHtml(o.operation),
      escapeHtml(o.outcome),
      escapeHtml(o.detail ?? ''),
      escapeHtml(o.tries),
    ]);
    sendHtml(
      res,
      200,
      dashboardPage(
        signedInOf(res),
        `Payment ${p.paymentId}`,
        `<p>Status <strong>${escapeHtml(p.status)}</strong> · merchant ${escapeHtml(p.merchantId)} · carrier ${escapeHtml(p.carrierId)}</p>
${p.risk ? `<p>Risk: <strong>${escapeHtml(p.risk.decision)}</strong>${p.risk.reasons.map((r) => `<br><b>${escapeHtml(r.rule)}</b> (${escapeHtml(r.decision)}): ${escapeHtml(r.why)}`).join('')}</p>` : ''}
<h2>Timeline</h2>${table(['at', 'actor', 'event', 'state', 'SMS'], events)}<h2>Carrier operations</h2>${table(['reference', 'operation', 'outcome', 'detail', 'tries'], ops)}`,
      ),
    );
  });

  router.get('/admin/reconciliations', signedIn, async (_req, res) => {
    const rows = (await recentRuns(ctx)).map((r) => [
      `<a href="/admin/reconciliations/${escapeHtml(r.runId)}"><code>${escapeHtml(r.runId)}</code></a>`,
      escapeHtml(r.carrierId),
      escapeHtml(r.period),
      escapeHtml(r.statementId),
      escapeHtml(
        Object.entries(r.counts)
          .filter(([k, n]) => k !== 'matched' && n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'all matched',
      ),
    ]);
    sendHtml(
      res,
      200,
      dashboardPage(
        signedInOf(res),
        'Reconciliation runs',
        table(['run', 'carrier', 'period', 'statement', 'differences'], rows),
      ),
    );
  });

  router.get('/admin/jobs', signedIn, async (req, res) => {
    const { job } = parseInput(z.object({ job: z.union([z.literal(''), text(40)]).optional() }), req.query);
    const rows = (await recentJobRuns(ctx, { job: job || undefined, limit: 200 })).map((r) => [
      `<a href="/admin/jobs?job=${encodeURIComponent(r.job)}">${escapeHtml(r.job)}</a>`,
      escapeHtml(r.instance),
      escapeHtml(r.startedAt),
      r.durationMs === null ? '' : `${String(r.durationMs)} ms`,
      escapeHtml(r.outcome ?? 'running, or cut short'),
      `<code>${escapeHtml(JSON.stringify(r.detail ?? null))}</code>`,
    ]);
    sendHtml(
      res,
      200,
      dashboardPage(
        signedInOf(res),
        'Job runs',
        `<p class="muted">Every scheduled job run on every instance, newest first${job ? ` (${escapeHtml(job)} only, <a href="/admin/jobs">all jobs</a>)` : ''}. A run with no duration is still going, or its instance died during it.</p>${table(['job', 'instance', 'started', 'took', 'outcome', 'what it did'], rows)}`,
      ),
    );
  });

  router.get('/admin/reconciliations/:runId', signedIn, async (req, res) => {
    sendHtml(res, 200, reportHtml(await reportOf(ctx, idParam(req, 'runId'))));
  });
  return router;
}
