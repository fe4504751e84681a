import { MAX_JOB_RUNS, recentJobRuns } from '../../services/operators/job-runs.js';
import { listGrants, revokeGrantAsOperator } from '../../services/access/grant-tokens.js';
import { consentsForOperator, revokeConsentAsOperator } from '../../services/consents/operator.js';
import { cancelSubscriptionAsOperator, subscriptionsForOperator } from '../../services/subscriptions/operator.js';
import express, { Router } from 'express';
import { z } from 'zod';
import { E164_PATTERN } from '../../domain/phone.js';
import { API_PATHS } from '../../services/api-paths.js';
import type { Context } from '../../services/context.js';
import { allMerchants, createMerchant, getMerchant, newMerchantSchema } from '../../services/operators/merchants.js';
import { paymentTimeline, searchPayments } from '../../services/operators/payments.js';
import { reconcileStatement } from '../../services/reconciliation/reconcile-statement.js';
import { settleManually } from '../../services/operators/settle-manually.js';
import { discrepancyList, recentRuns, reportOf, resolve, runReport } from '../../services/reconciliation/report.js';
import { reportCsv, reportHtml } from '../pages/reconciliation-report.js';
import { operatorOf, requireOperator } from '../middleware/auth.js';
import {
  disableMerchant,
  enableMerchant,
  merchantChangeSchema,
  revokeMerchantTokens,
  rotateMerchantSecret,
  rotationSchema,
  updateMerchant,
} from '../../services/operators/merchant-lifecycle.js';
import {
  createOperator,
  deleteOperator,
  listOperators,
  newOperatorSchema,
} from '../../services/access/operator-accounts.js';
import { idParam } from '../validation.js';
import { riskRulesSchema } from '../../../config/schema.js';
import { putRiskRules, riskRulesView } from '../../services/risk/rules-admin.js';
import { approveReview, declineReview, reviewQueue } from '../../services/risk/reviews.js';
import { dateTime } from '../schemas/common.js';
import { parseInput, text } from '../../services/input.js';

/** A page number or size in the query: a positive integer up to `max`. */
const positiveQueryInt = (max: number) =>
  z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .refine((n) => n <= max, `at most ${max}`)
    .optional();

const paymentSearch = z.object({
  phoneNumber: z.string().regex(E164_PATTERN).optional(),
  merchantId: text(100).optional(),
  status: text(40).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
  page: positiveQueryInt(999_999),
  perPage: positiveQueryInt(100),
});

const jobRunQuery = z.object({ job: text(40).optional(), limit: positiveQueryInt(MAX_JOB_RUNS) });
const reconciliationTarget = z.object({
  carrierId: text(40),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
  format: z.enum(['csv', 'header-trailer']).optional(),
});
const discrepancyQuery = z.object({
  class: text(40).optional(),
  page: positiveQueryInt(999_999),
  perPage: positiveQueryInt(1000),
});
const resolution = z.object({ note: text(1000) });
/** Grants, consents and subscriptions: by phone number, by merchant, or both. */
const grantSearch = z.object({ phoneNumber: text(20).optional(), merchantId: text(100).optional() }).strict();
const settlement = z.object({ verdict: z.enum(['charged', 'not_charged']), note: text(1000) });

/** The operator API (CONTRACTS §2), mounted at /admin/v1. */
export function adminRoutes(ctx: Context, bootstrapToken: string): Router {
  const router = Router();
  router.use(requireOperator(ctx, bootstrapToken), express.json({ limit: ctx.config.bodyLimit }));

  router.post('/merchants', async (req, res) => {
    res.status(201).json(await createMerchant(ctx, operatorOf(res), parseInput(newMerchantSchema, req.body)));
  });
  router.get('/merchants', async (_req, res) => {
    res.json(await allMerchants(ctx));
  });
  router.get('/merchants/:merchantId', async (req, res) => {
    res.json(await getMerchant(ctx, idParam(req, 'merchantId')));
  });
  router.patch('/merchants/:merchantId', async (req, res) => {
    const change = parseInput(merchantChangeSchema, req.body);
    res.json(await updateMerchant(ctx, operatorOf(res), idParam(req, 'merchantId'), change));
  });
  router.post('/merchants/:merchantId/disable', async (req, res) => {
    res.json(await disableMerchant(ctx, operatorOf(res), idParam(req, 'merchantId')));
  });
  router.post('/merchants/:merchantId/enable', async (req, res) => {
    res.json(await enableMerchant(ctx, operatorOf(res), idParam(req, 'merchantId')));
  });
  router.post('/merchants/:merchantId/rotate-secret', async (req, res) => {
    const options = parseInput(rotationSchema, req.body ?? {});
    res.json(await rotateMerchantSecret(ctx, operatorOf(res), idParam(req, 'merchantId'), options));
  });
  router.post('/merchants/:merchantId/revoke-tokens', async (req, res) => {
    res.json(await revokeMerchantTokens(ctx, operatorOf(res), idParam(req, 'merchantId')));
  });
  router.post('/operators', async (req, res) => {
    res.status(201).json(await createOperator(ctx, operatorOf(res), parseInput(newOperatorSchema, req.body)));
  });
  router.get('/operators', async (_req, res) => {
    res.json(await listOperators(ctx));
  });
  router.delete('/operators/:operatorId', async (req, res) => {
    await deleteOperator(ctx, operatorOf(res), idParam(req, 'operatorId'));
    res.status(204).end();
  });
  router.get('/payments', async (req, res) => {
    const q = parseInput(paymentSearch, req.query);
    res.json(await searchPayments(ctx, { ...q, page: q.page ?? 1, perPage: q.perPage ?? 50 }));
  });
  // Phone users' grants to merchants (three-legged access), and their revocation by an operator.
  router.get('/grants', async (req, res) => {
    res.json(await listGrants(ctx, parseInput(grantSearch, req.query)));
  });
  router.post('/grants/:grantId/revoke', async (req, res) => {
    res.json(await revokeGrantAsOperator(ctx, operatorOf(res), idParam(req, 'grantId')));
  });
  // Phone users' standing consents to merchants' charges.
  router.get('/consents', async (req, res) => {
    res.json(await consentsForOperator(ctx, parseInput(grantSearch, req.query)));
  });
  router.post('/consents/:consentId/revoke', async (req, res) => {
    res.json(await revokeConsentAsOperator(ctx, operatorOf(res), idParam(req, 'consentId')));
  });
  router.get('/subscriptions', async (req, res) => {
    res.json(await subscriptionsForOperator(ctx, parseInput(grantSearch, req.query)));
  });
  router.post('/subscriptions/:subscriptionId/cancel', async (req, res) => {
    res.json(await cancelSubscriptionAsOperator(ctx, operatorOf(res), idParam(req, 'subscriptionId')));
  });
  // The cash-out defence: its rules, and the payments they held for an operator's decision.
  router.get('/risk/rules', async (_req, res) => {
    res.json(await riskRulesView(ctx));
  });
  router.put('/risk/rules', async (req, res) => {
    res.json(await putRiskRules(ctx, operatorOf(res), parseInput(riskRulesSchema, req.body)));
  });
  router.get('/risk/reviews', async (_req, res) => {
    res.json(await reviewQueue(ctx));
  });
  router.post('/risk/reviews/:reviewId/approve', async (req, res) => {
    res.json(await approveReview(ctx, operatorOf(res), idParam(req, 'reviewId')));
  });
  router.post('/risk/reviews/:reviewId/decline', async (req, res) => {
    res.json(await declineReview(ctx, operatorOf(res), idParam(req, 'reviewId')));
  });
  router.get('/job-runs', async (req, res) => {
    res.json(await recentJobRuns(ctx, parseInput(jobRunQuery, req.query)));
  });
  router.post('/reconciliations', async (req, res) => {
    const q = parseInput(reconciliationTarget, req.query);
    // The statement is streamed from the request into the import, never held whole in memory.
    const run = await reconcileStatement(ctx, q.carrierId, q.period, req, q.format);
    res
      .status(201)
      .location(`${API_PATHS.admin}/reconciliations/${run.id}`)
      .json(await runReport(ctx, run));
  });
  router.get('/reconciliations', async (_req, res) => {
    res.json(await recentRuns(ctx));
  });
  router.get('/reconciliations/:runId', async (req, res) => {
    const report = await reportOf(ctx, idParam(req, 'runId'));
    const format = req.query.format ?? req.accepts(['json', 'html', 'csv']);
    if (format === 'html') res.type('html').send(reportHtml(report));
    else if (format === 'csv') res.type('text/csv').send(reportCsv(report));
    else res.json(report);
  });
  router.get('/reconciliations/:runId/discrepancies', async (req, res) => {
    const q = parseInput(discrepancyQuery, req.query);
    res.json(await discrepancyList(ctx, idParam(req, 'runId'), q.class, q.page ?? 1, q.perPage ?? 100));
  });
  router.post('/reconciliations/:runId/discrepancies/:discrepancyId/resolve', async (req, res) => {
    const { note } = parseInput(resolution, req.body);
    res.json(await resolve(ctx, operatorOf(res), idParam(req, 'runId'), idParam(req, 'discrepancyId'), note));
  });
  router.post('/payments/:paymentId/settle', async (req, res) => {
    const { verdict, note } = parseInput(settlement, req.body);
    res.json(await settleManually(ctx, operatorOf(res), idParam(req, 'paymentId'), verdict, note));
  });
  router.get('/payments/:paymentId', async (req, res) => {
    res.json(await paymentTimeline(ctx, idParam(req, 'paymentId')));
  });
  return router;
}
