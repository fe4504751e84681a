import express, { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../services/context.js';
import { certificateById, certificatesForPayment } from '../../services/certificates/query.js';
import { lookupCertificate, redeemCertificate, redemptionById } from '../../services/certificates/redeem.js';
import { merchantOf, requireScope } from '../middleware/auth.js';
import { clientAddressOf, idParam } from '../validation.js';
import { parseInput, text } from '../../services/input.js';

const READ = 'gift-certificates:read';
const byPayment = z.object({ paymentId: text(100) });
const lookup = z.object({ code: text(64) });
const redemption = z.object({
  code: text(64),
  amount: z.number().positive().max(1e12).optional(),
  // Who redeems (CONTRACTS §8): the merchant's own account id, and the client's address.
  redeemer: z.strictObject({ accountId: text(100), ipAddress: z.union([z.ipv4(), z.ipv6()]).optional() }).optional(),
});

/** Gift certificates (CONTRACTS §3), mounted at /gift-certificates/v1. */
export function giftCertificateRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/certificates', requireScope(ctx, READ), async (req, res) => {
    const { paymentId } = parseInput(byPayment, req.query);
    res.json(await certificatesForPayment(ctx, merchantOf(res).id, paymentId));
  });
  const json = express.json({ limit: '4kb', strict: true, type: () => true });
  router.post('/certificates/lookup', requireScope(ctx, READ, 'read'), json, async (req, res) => {
    const { code } = parseInput(lookup, req.body);
    res.json(await lookupCertificate(ctx, merchantOf(res).id, clientAddressOf(req), code));
  });
  router.post('/redemptions', requireScope(ctx, 'gift-certificates:redeem'), json, async (req, res) => {
    const { code, amount, redeemer } = parseInput(redemption, req.body);
    const redeemed = await redeemCertificate(ctx, merchantOf(res).id, clientAddressOf(req), code, amount, redeemer);
    // Held by the risk rules: accepted, the amount reserved, until an operator decides.
    res.status(redeemed.status === 'held' ? 202 : 201).json(redeemed);
  });
  router.get('/redemptions/:redemptionId', requireScope(ctx, 'gift-certificates:redeem'), async (req, res) => {
    res.json(await redemptionById(ctx, merchantOf(res).id, idParam(req, 'redemptionId')));
  });
  router.get('/certificates/:certificateId', requireScope(ctx, READ), async (req, res) => {
    res.json(await certificateById(ctx, merchantOf(res).id, idParam(req, 'certificateId')));
  });
  return router;
}
