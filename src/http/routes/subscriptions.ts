import { Router } from 'express';
import { API_PATHS } from '../../services/api-paths.js';
import type { Context } from '../../services/context.js';
import { parseInput } from '../../services/input.js';
import { createSubscription } from '../../services/subscriptions/create.js';
import {
  cancelSubscription,
  getSubscription,
  listSubscriptions,
  validateSubscription,
} from '../../services/subscriptions/manage.js';
import { merchantOf, requireScope } from '../middleware/auth.js';
import { cancellationSchema, subscriptionQuerySchema, subscriptionRequestSchema } from '../schemas/consents.js';
import { validateSchema } from '../schemas/payments.js';
import { requireValidSink } from '../schemas/sink.js';
import { idParam, jsonBody, requiredBody } from '../validation.js';

const WRITE = 'subscriptions:write';
const READ = 'subscriptions:read';

/** Subscriptions (CONTRACTS §6), mounted at /subscriptions/v1. */
export function subscriptionRoutes(ctx: Context): Router {
  const router = Router();
  const json = jsonBody(ctx.config.bodyLimit);

  router.post('/subscriptions', requireScope(ctx, WRITE), json, async (req, res) => {
    const body = requireValidSink(
      parseInput(subscriptionRequestSchema, req.body),
      ctx.config.notifications.allowHttpSinks,
    );
    const subscription = await createSubscription(ctx, merchantOf(res), body);
    res
      .status(201)
      .location(`${API_PATHS.subscriptions}/subscriptions/${subscription.subscriptionId}`)
      .json(subscription);
  });
  router.post('/subscriptions/:subscriptionId/validate', requireScope(ctx, WRITE), json, async (req, res) => {
    const input = parseInput(validateSchema, requiredBody(req));
    res.json(await validateSubscription(ctx, merchantOf(res), idParam(req, 'subscriptionId'), input));
  });
  router.get('/subscriptions', requireScope(ctx, READ), async (req, res) => {
    const { phoneNumber } = parseInput(subscriptionQuerySchema, req.query);
    res.json(await listSubscriptions(ctx, merchantOf(res), phoneNumber));
  });
  router.get('/subscriptions/:subscriptionId', requireScope(ctx, READ), async (req, res) => {
    res.json(await getSubscription(ctx, merchantOf(res), idParam(req, 'subscriptionId')));
  });
  router.delete('/subscriptions/:subscriptionId', requireScope(ctx, WRITE), async (req, res) => {
    const { at } = parseInput(cancellationSchema, req.query);
    res.json(await cancelSubscription(ctx, merchantOf(res), idParam(req, 'subscriptionId'), at === 'period_end'));
  });
  return router;
}
