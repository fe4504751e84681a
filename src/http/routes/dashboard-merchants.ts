import { Router } from 'express';
import type { Context } from '../../services/context.js';
import {
  disableMerchant,
  enableMerchant,
  merchantActions,
  merchantChangeSchema,
  revokeMerchantTokens,
  rotateMerchantSecret,
  updateMerchant,
} from '../../services/operators/merchant-lifecycle.js';
import { allMerchants, getMerchant } from '../../services/operators/merchants.js';
import { parseInput } from '../../services/input.js';
import { signedIn, signedInForm, signedInOf } from '../middleware/dashboard-session.js';
import { dashboardPage, table } from '../pages/dashboard.js';
import { merchantBody, rotatedBody } from '../pages/merchant.js';
import { escapeHtml, sendHtml } from '../pages/render.js';
import { formFields, idParam } from '../validation.js';

/** A number field of a form: empty is null (back to the default), anything else must be a whole number. */
const numberField = (value: string) => (value.trim() === '' ? null : Number(value));

/**
 * The dashboard's merchants: the list, each merchant's page, and for admins its lifecycle (limits,
 * disable and enable, revoking tokens, rotating the secret), through the same services as the
 * operator API, audited with the signed-in operator.
 */
export function dashboardMerchantRoutes(ctx: Context): Router {
  const router = Router();
  const page = signedIn(ctx);
  const change = signedInForm(ctx);
  const back = (merchantId: string) => `/admin/merchants/${encodeURIComponent(merchantId)}`;

  router.get('/admin/merchants', page, async (_req, res) => {
    const rows = (await allMerchants(ctx)).map((m) => [
      `<a href="${back(m.merchantId)}"><code>${escapeHtml(m.merchantId)}</code></a>`,
      escapeHtml(m.name),
      `<code>${escapeHtml(m.clientId)}</code>`,
      m.disabled ? '<strong>disabled</strong>' : 'active',
      escapeHtml(m.validationMode),
      escapeHtml(m.createdAt),
    ]);
    const body = table(['merchant', 'name', 'client id', 'status', 'validation', 'created'], rows);
    sendHtml(res, 200, dashboardPage(signedInOf(res), 'Merchants', body));
  });

  router.get('/admin/merchants/:merchantId', page, async (req, res) => {
    const id = idParam(req, 'merchantId');
    const [merchant, actions] = await Promise.all([getMerchant(ctx, id), merchantActions(ctx, id)]);
    const body = merchantBody(signedInOf(res), merchant, actions, ctx.config.merchants.secretGraceSeconds);
    sendHtml(res, 200, dashboardPage(signedInOf(res), `Merchant ${merchant.name}`, body));
  });

  router.post('/admin/merchants/:merchantId/limits', ...change, async (req, res) => {
    const id = idParam(req, 'merchantId');
    const fields = formFields(req);
    const limits = parseInput(merchantChangeSchema, {
      dailyCapMinor: numberField(fields.text('dailyCapMinor')),
      limits: {
        requestsPerSecond: numberField(fields.text('requestsPerSecond')),
        readsPerSecond: numberField(fields.text('readsPerSecond')),
        writesPerSecond: numberField(fields.text('writesPerSecond')),
        codesPerMinute: numberField(fields.text('codesPerMinute')),
        maxPaymentMinor: numberField(fields.text('maxPaymentMinor')),
      },
    });
    await updateMerchant(ctx, signedInOf(res).operator, id, limits);
    res.redirect(303, back(id));
  });

  for (const [path, act] of [
    ['disable', disableMerchant],
    ['enable', enableMerchant],
    ['revoke-tokens', revokeMerchantTokens],
  ] as const) {
    router.post(`/admin/merchants/:merchantId/${path}`, ...change, async (req, res) => {
      const id = idParam(req, 'merchantId');
      await act(ctx, signedInOf(res).operator, id);
      res.redirect(303, back(id));
    });
  }

  router.post('/admin/merchants/:merchantId/rotate-secret', ...change, async (req, res) => {
    const id = idParam(req, 'merchantId');
    const leaked = formFields(req).text('leaked') === 'yes';
    const operator = signedInOf(res).operator;
    const secret = await rotateMerchantSecret(ctx, operator, id, leaked ? { graceSeconds: 0, revokeTokens: true } : {});
    const body = rotatedBody(await getMerchant(ctx, id), secret);
    sendHtml(res, 200, dashboardPage(signedInOf(res), 'New client secret', body));
  });
  return router;
}
