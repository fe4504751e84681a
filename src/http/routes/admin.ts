import express, { Router } from 'express';
import { z } from 'zod';
import { E164_PATTERN } from '../../domain/phone.js';
import type { Context } from '../../services/context.js';
import { allMerchants, createMerchant, getMerchant } from '../../services/merchants.js';
import { paymentTimeline, searchPayments } from '../../services/operator-payments.js';
import { requireOperator } from '../middleware/auth.js';
import { idParam, parse } from '../validation.js';
import { text } from '../schemas/payments.js';

const newMerchant = z.object({
  name: text(100),
  scopes: z.array(z.string().max(100)).max(20).optional(),
  oneStepPayments: z.boolean().optional(),
  validationMode: z.enum(['validate', 'open']).optional(),
  /** Daily billing cap in minor units of the gateway's currency. */
  dailyCapMinor: z.number().int().positive().max(1e12).optional(),
});

const dateTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const paymentSearch = z.object({
  phoneNumber: z.string().regex(E164_PATTERN).optional(),
  merchantId: text(100).optional(),
  status: text(40).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
  page: z.string().regex(/^[1-9]\d{0,5}$/).transform(Number).optional(),
  perPage: z.string().regex(/^[1-9]\d{0,2}$/).transform(Number).refine((n) => n <= 100, 'at most 100').optional(),
});

/** The operator API (CONTRACTS §2), mounted at /admin/v1. */
export function adminRoutes(ctx: Context, operatorToken: string): Router {
  const router = Router();
  router.use(requireOperator(operatorToken), express.json({ limit: ctx.config.bodyLimit }));

  router.post('/merchants', async (req, res) => {
    res.status(201).json(await createMerchant(ctx.db, parse(newMerchant, req.body)));
  });
  router.get('/merchants', async (_req, res) => {
    res.json(await allMerchants(ctx.db));
  });
  router.get('/merchants/:merchantId', async (req, res) => {
    res.json(await getMerchant(ctx.db, idParam(req, 'merchantId')));
  });
  router.get('/payments', async (req, res) => {
    const q = parse(paymentSearch, req.query);
    res.json(await searchPayments(ctx, { ...q, page: q.page ?? 1, perPage: q.perPage ?? 50 }));
  });
  router.get('/payments/:paymentId', async (req, res) => {
    res.json(await paymentTimeline(ctx, idParam(req, 'paymentId')));
  });
  return router;
}
