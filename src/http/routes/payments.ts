import { Router } from 'express';
import { cancelPayment } from '../../services/payments/cancel.js';
import { confirmPayment } from '../../services/payments/confirm.js';
import type { Context } from '../../services/context.js';
import { parseInput } from '../../services/input.js';
import { createPayment } from '../../services/payments/create.js';
import { preparePayment } from '../../services/payments/prepare.js';
import { retrievePayment, retrievePayments } from '../../services/payments/query.js';
import { resendCode } from '../../services/payments/resend-code.js';
import { validatePayment } from '../../services/payments/validate.js';
import { merchantOf, requireScope } from '../middleware/auth.js';
import {
  paymentQuerySchema,
  paymentRequestSchema,
  phoneNumberBodySchema,
  validateSchema,
} from '../schemas/payments.js';
import { requireValidSink } from '../schemas/sink.js';
import { idParam, jsonBody, requiredBody, sendPage } from '../validation.js';

const CREATE = 'carrier-billing:payments:create';
const READ = 'carrier-billing:payments:read';
const WRITE = 'carrier-billing:payments:write';

/** CAMARA Carrier Billing v0.5, mounted at /carrier-billing/v0.5. */
export function paymentRoutes(ctx: Context): Router {
  const router = Router();
  // Parsed after the token check, so an anonymous caller learns nothing from body errors.
  const json = jsonBody(ctx.config.bodyLimit);

  router.post('/payments', requireScope(ctx, CREATE), json, async (req, res) => {
    const body = requireValidSink(parseInput(paymentRequestSchema, req.body), ctx.config.notifications.allowHttpSinks);
    const payment = await createPayment(ctx, merchantOf(res), body);
    res.status(201).location(payment.amountTransaction.resourceURL).json(payment);
  });

  router.post('/payments/prepare', requireScope(ctx, CREATE), json, async (req, res) => {
    const body = requireValidSink(parseInput(paymentRequestSchema, req.body), ctx.config.notifications.allowHttpSinks);
    const payment = await preparePayment(ctx, merchantOf(res), body);
    res.status(201).location(payment.amountTransaction.resourceURL).json(payment);
  });

  router.get('/payments', requireScope(ctx, READ), async (req, res) => {
    const q = parseInput(paymentQuerySchema, req.query);
    const result = await retrievePayments(ctx, merchantOf(res), {
      page: q.page ?? 1,
      perPage: q.perPage ?? 10,
      from: q['paymentCreationDate.gte'],
      to: q['paymentCreationDate.lte'],
      order: q.order,
      statuses: q.paymentStatus,
      merchantIdentifier: q.merchantIdentifier,
    });
    sendPage(res, result);
  });

  router.get('/payments/:paymentId', requireScope(ctx, READ), async (req, res) => {
    res.json(await retrievePayment(ctx, merchantOf(res), idParam(req, 'paymentId')));
  });

  router.post('/payments/:paymentId/validate', requireScope(ctx, WRITE), json, async (req, res) => {
    const merchant = merchantOf(res);
    await validatePayment(
      ctx,
      `merchant:${merchant.id}`,
      merchant,
      idParam(req, 'paymentId'),
      parseInput(validateSchema, req.body),
    );
    res.status(204).end();
  });

  router.post('/payments/:paymentId/confirm', requireScope(ctx, WRITE), json, async (req, res) => {
    const { phoneNumber } = parseInput(phoneNumberBodySchema, requiredBody(req));
    await confirmPayment(ctx, merchantOf(res), idParam(req, 'paymentId'), phoneNumber);
    res.status(202).end();
  });

  router.post('/payments/:paymentId/cancel', requireScope(ctx, WRITE), json, async (req, res) => {
    const { phoneNumber } = parseInput(phoneNumberBodySchema, requiredBody(req));
    await cancelPayment(ctx, merchantOf(res), idParam(req, 'paymentId'), phoneNumber);
    res.status(202).end();
  });

  // Not in CAMARA: a new code for a phone user who did not get (or lost) the first one.
  router.post('/payments/:paymentId/resend-code', requireScope(ctx, WRITE), json, async (req, res) => {
    const merchant = merchantOf(res);
    res.status(202).json(await resendCode(ctx, `merchant:${merchant.id}`, merchant, idParam(req, 'paymentId')));
  });

  return router;
}
