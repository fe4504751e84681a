import express, { Router } from 'express';
import type { Context } from '../../services/context.js';
import { parseInput } from '../../services/input.js';
import { createRefund } from '../../services/refunds/create.js';
import { remainingAmount, retrieveRefund, retrieveRefunds } from '../../services/refunds/query.js';
import { refundPath } from '../../services/refunds/view.js';
import { merchantOf, requireScope } from '../middleware/auth.js';
import { refundQuerySchema, refundRequestSchema } from '../schemas/refunds.js';
import { requireValidSink } from '../schemas/sink.js';
import { idParam, sendPage } from '../validation.js';

const CREATE = 'carrier-billing-refund:refunds:create';
const READ = 'carrier-billing-refund:refunds:read';

/** CAMARA Carrier Billing Refund v0.3, mounted at /carrier-billing-refund/v0.3. */
export function refundRoutes(ctx: Context): Router {
  const router = Router();
  const json = express.json({ limit: ctx.config.bodyLimit, strict: true, type: () => true });

  router.post('/payments/:paymentId/refunds', requireScope(ctx, CREATE), json, async (req, res) => {
    const paymentId = idParam(req, 'paymentId');
    const refund = await createRefund(
      ctx,
      merchantOf(res),
      paymentId,
      requireValidSink(parseInput(refundRequestSchema, req.body), ctx.config.notifications.allowHttpSinks),
    );
    res.status(201).location(refundPath(paymentId, refund.refundId)).json(refund);
  });

  // Declared before /refunds/:refundId, which would otherwise take "remaining-amount" for an id.
  router.get('/payments/:paymentId/refunds/remaining-amount', requireScope(ctx, READ), async (req, res) => {
    res.json(await remainingAmount(ctx, merchantOf(res), idParam(req, 'paymentId')));
  });

  router.get('/payments/:paymentId/refunds', requireScope(ctx, READ), async (req, res) => {
    const q = parseInput(refundQuerySchema, req.query);
    const result = await retrieveRefunds(ctx, merchantOf(res), idParam(req, 'paymentId'), {
      page: q.page ?? 1,
      perPage: q.perPage ?? 10,
      from: q['refundCreationDate.gte'],
      to: q['refundCreationDate.lte'],
      order: q.order,
      statuses: q.refundStatus,
      merchantIdentifier: q.merchantIdentifier,
    });
    sendPage(res, result);
  });

  router.get('/payments/:paymentId/refunds/:refundId', requireScope(ctx, READ), async (req, res) => {
    res.json(await retrieveRefund(ctx, merchantOf(res), idParam(req, 'paymentId'), idParam(req, 'refundId')));
  });

  return router;
}
