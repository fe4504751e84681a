import { Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../services/context.js';
import { certificateById, certificatesForPayment } from '../../services/gift-certificates.js';
import { merchantOf, requireScope } from '../middleware/auth.js';
import { idParam, parse } from '../validation.js';
import { text } from '../schemas/payments.js';

const READ = 'gift-certificates:read';
const byPayment = z.object({ paymentId: text(100) });

/** Gift certificates (CONTRACTS §3), mounted at /gift-certificates/v1. */
export function giftCertificateRoutes(ctx: Context): Router {
  const router = Router();
  router.get('/certificates', requireScope(ctx, READ), async (req, res) => {
    const { paymentId } = parse(byPayment, req.query);
    res.json(await certificatesForPayment(ctx, merchantOf(res).id, paymentId));
  });
  router.get('/certificates/:certificateId', requireScope(ctx, READ), async (req, res) => {
    res.json(await certificateById(ctx, merchantOf(res).id, idParam(req, 'certificateId')));
  });
  return router;
}
