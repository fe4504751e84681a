import { Router } from 'express';
import { z } from 'zod';
import { listGrants, revokeGrantAsOperator } from '../../services/access/grant-tokens.js';
import type { Context } from '../../services/context.js';
import { parseInput, text } from '../../services/input.js';
import { signedIn, signedInForm, signedInOf } from '../middleware/dashboard-session.js';
import { dashboardPage, formTokenField, table } from '../pages/dashboard.js';
import { escapeHtml, sendHtml } from '../pages/render.js';
import { idParam } from '../validation.js';

const search = z.object({
  phoneNumber: z.union([z.literal(''), text(20)]).optional(),
  merchantId: z.union([z.literal(''), text(100)]).optional(),
});

/**
 * The dashboard's view of phone users' grants to merchants (three-legged access), by number or by
 * merchant, with revocation for admins (the same service as the operator API, audited).
 */
export function dashboardGrantRoutes(ctx: Context): Router {
  const router = Router();

  router.get('/admin/grants', signedIn(ctx), async (req, res) => {
    const q = parseInput(search, req.query);
    const who = signedInOf(res);
    const grants = await listGrants(ctx, {
      phoneNumber: q.phoneNumber || undefined,
      merchantId: q.merchantId || undefined,
    });
    const rows = grants.map((g) => [
      `<code>${escapeHtml(g.grantId)}</code>`,
      `<a href="/admin/merchants/${encodeURIComponent(g.merchantId)}"><code>${escapeHtml(g.merchantId)}</code></a>`,
      `<a href="/admin/grants?phoneNumber=${encodeURIComponent(g.phoneNumber)}">${escapeHtml(g.phoneNumber)}</a>`,
      escapeHtml(g.scopes.join(' ')),
      escapeHtml(g.flow),
      escapeHtml(g.createdAt),
      g.revokedAt
        ? `revoked ${escapeHtml(g.revokedAt)} by ${escapeHtml(g.revokedBy ?? '')}`
        : who.role === 'admin'
          ? `<form class="action" method="post" action="/admin/grants/${encodeURIComponent(g.grantId)}/revoke">${formTokenField(who)}<button type="submit">Revoke</button></form>`
          : 'active',
    ]);
    const form = `<form class="search" method="get" action="/admin/grants"><input name="phoneNumber" placeholder="+8210…" value="${escapeHtml(q.phoneNumber ?? '')}"><input name="merchantId" placeholder="merchant id" value="${escapeHtml(q.merchantId ?? '')}"><button type="submit">Search</button></form>`;
    const body = `<p class="muted">Merchants a phone user let act for their number (CIBA or the authorization code flow), newest first. Revoking one ends its tokens at once.</p>${form}${table(['grant', 'merchant', 'phone number', 'scopes', 'flow', 'granted', 'state'], rows)}`;
    sendHtml(res, 200, dashboardPage(who, 'Grants', body));
  });

  router.post('/admin/grants/:grantId/revoke', ...signedInForm(ctx), async (req, res) => {
    const grant = await revokeGrantAsOperator(ctx, signedInOf(res).operator, idParam(req, 'grantId'));
    res.redirect(303, `/admin/grants?phoneNumber=${encodeURIComponent(grant.phoneNumber)}`);
  });
  return router;
}
