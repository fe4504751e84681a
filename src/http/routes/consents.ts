import { Router } from 'express';
import { API_PATHS } from '../../services/api-paths.js';
import type { Context } from '../../services/context.js';
import { createConsent } from '../../services/consents/create.js';
import { getConsent, listConsents, revokeConsentAsMerchant } from '../../services/consents/query.js';
import { validateConsent } from '../../services/consents/validate.js';
import { parseInput } from '../../services/input.js';
import { merchantOf, requireScope } from '../middleware/auth.js';
import { consentQuerySchema, consentRequestSchema } from '../schemas/consents.js';
import { validateSchema } from '../schemas/payments.js';
import { requireValidSink } from '../schemas/sink.js';
import { idParam, jsonBody, requiredBody } from '../validation.js';

const WRITE = 'consents:write';
const READ = 'consents:read';

/** Stored consents (CONTRACTS §6), mounted at /consents/v1. */
export function consentRoutes(ctx: Context): Router {
  const router = Router();
  const json = jsonBody(ctx.config.bodyLimit);

  router.post('/consents', requireScope(ctx, WRITE), json, async (req, res) => {
    const body = requireValidSink(parseInput(consentRequestSchema, req.body), ctx.config.notifications.allowHttpSinks);
    const consent = await createConsent(ctx, merchantOf(res), body);
    res.status(201).location(`${API_PATHS.consents}/consents/${consent.consentId}`).json(consent);
  });
  router.post('/consents/:consentId/validate', requireScope(ctx, WRITE), json, async (req, res) => {
    const input = parseInput(validateSchema, requiredBody(req));
    res.json(await validateConsent(ctx, merchantOf(res), idParam(req, 'consentId'), input));
  });
  router.get('/consents', requireScope(ctx, READ), async (req, res) => {
    res.json(await listConsents(ctx, merchantOf(res), parseInput(consentQuerySchema, req.query)));
  });
  router.get('/consents/:consentId', requireScope(ctx, READ), async (req, res) => {
    res.json(await getConsent(ctx, merchantOf(res), idParam(req, 'consentId')));
  });
  router.delete('/consents/:consentId', requireScope(ctx, WRITE), async (req, res) => {
    res.json(await revokeConsentAsMerchant(ctx, merchantOf(res), idParam(req, 'consentId')));
  });
  return router;
}
