import { Router } from 'express';
import { z } from 'zod';
import { listGrants, revokeGrantAsOperator } from '../../services/access/grant-tokens.js';
import { consentsForOperator, revokeConsentAsOperator } from '../../services/consents/operator.js';
import { cancelSubscriptionAsOperator, subscriptionsForOperator } from '../../services/subscriptions/operator.js';
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
 * The dashboard's view of what phone users let merchants do: standing consents to charges and
 * three-legged grants, by number or by merchant, with revocation for admins (the same services as
 * the operator API, audited).
 */
export function dashboardGrantRoutes(ctx: Context): Router {
  const router = Router();

  router.get('/admin/grants', signedIn(ctx), async (req, res) => {
    const q = parseInput(search, req.query);
    const who = signedInOf(res);
    const filter = { phoneNumber: q.phoneNumber || undefined, merchantId: q.merchantId || undefined };
    const [grants, consents, subscriptions] = await Promise.all([
      listGrants(ctx, filter),
      consentsForOperator(ctx, filter),
      subscriptionsForOperator(ctx, filter),
    ]);
    const revokeButton = (path: string, label = 'Revoke') =>
      who.role === 'admin'
        ? `<form class="action" method="post" action="${escapeHtml(path)}">${formTokenField(who)}<button type="submit">${label}</button></form>`
        : '';
    const consentRows = consents.map((c) => [
      `<code>${escapeHtml(c.consentId)}</code>`,
      `<a href="/admin/merchants/${encodeURIComponent(c.merchantId)}"><code>${escapeHtml(c.merchantId)}</code></a>`,
      `<a href="/admin/grants?phoneNumber=${encodeURIComponent(c.phoneNumber)}">${escapeHtml(c.phoneNumber)}</a>`,
      escapeHtml(c.description),
      escapeHtml(
        `${c.maxAmountPerCharge.amount} ${c.maxAmountPerCharge.currency} a charge${c.maxAmountPerMonth ? `, ${c.maxAmountPerMonth.amount} a month` : ''}`,
      ),
      escapeHtml(c.createdAt),
      c.status === 'active' || c.status === 'pending_validation'
        ? `${escapeHtml(c.status)} ${revokeButton(`/admin/consents/${encodeURIComponent(c.consentId)}/revoke`)}`
        : `${escapeHtml(c.status)}${c.revokedBy ? ` by ${escapeHtml(c.revokedBy)}` : ''}`,
    ]);
    const rows = grants.map((g) => [
      `<code>${escapeHtml(g.grantId)}</code>`,
      `<a href="/admin/merchants/${encodeURIComponent(g.merchantId)}"><code>${escapeHtml(g.merchantId)}</code></a>`,
      `<a href="/admin/grants?phoneNumber=${encodeURIComponent(g.phoneNumber)}">${escapeHtml(g.phoneNumber)}</a>`,
      escapeHtml(g.scopes.join(' ')),
      escapeHtml(g.flow),
      escapeHtml(g.createdAt),
      g.revokedAt
        ? `revoked ${escapeHtml(g.revokedAt)} by ${escapeHtml(g.revokedBy ?? '')}`
        : `active ${revokeButton(`/admin/grants/${encodeURIComponent(g.grantId)}/revoke`)}`,
    ]);
    const form = `<form class="search" method="get" action="/admin/grants"><input name="phoneNumber" placeholder="+8210…" value="${escapeHtml(q.phoneNumber ?? '')}"><input name="merchantId" placeholder="merchant id" value="${escapeHtml(q.merchantId ?? '')}"><button type="submit">Search</button></form>`;
    const subscriptionRows = subscriptions.map((sub) => [
      `<code>${escapeHtml(sub.subscriptionId)}</code>`,
      `<a href="/admin/merchants/${encodeURIComponent(sub.merchantId)}"><code>${escapeHtml(sub.merchantId)}</code></a>`,
      `<a href="/admin/grants?phoneNumber=${encodeURIComponent(sub.phoneNumber)}">${escapeHtml(sub.phoneNumber)}</a>`,
      escapeHtml(sub.description),
      escapeHtml(`${sub.amount.amount} ${sub.amount.currency} ${sub.period === 'P1M' ? 'a month' : 'a week'}`),
      escapeHtml(sub.nextChargeAt ?? ''),
      ['active', 'past_due', 'suspended', 'pending_validation'].includes(sub.status)
        ? `${escapeHtml(sub.status)} ${revokeButton(`/admin/subscriptions/${encodeURIComponent(sub.subscriptionId)}/cancel`, 'Cancel')}`
        : `${escapeHtml(sub.status)}${sub.cancelledBy ? ` by ${escapeHtml(sub.cancelledBy)}` : ''}`,
    ]);
    const body = `${form}<h2>Subscriptions</h2>${table(['subscription', 'merchant', 'phone number', 'for', 'amount', 'next charge', 'state'], subscriptionRows)}<h2>Consents</h2><p class="muted">Merchants a phone user let charge without a code, within caps, newest first.</p>${table(['consent', 'merchant', 'phone number', 'for', 'caps', 'asked', 'state'], consentRows)}
<h2>Grants</h2><p class="muted">Merchants a phone user let act for their number (CIBA or the authorization code flow), newest first. Revoking one ends its tokens at once.</p>${table(['grant', 'merchant', 'phone number', 'scopes', 'flow', 'granted', 'state'], rows)}`;
    sendHtml(res, 200, dashboardPage(who, 'Consents, subscriptions and grants', body));
  });

  router.post('/admin/consents/:consentId/revoke', ...signedInForm(ctx), async (req, res) => {
    const consent = await revokeConsentAsOperator(ctx, signedInOf(res).operator, idParam(req, 'consentId'));
    res.redirect(303, `/admin/grants?phoneNumber=${encodeURIComponent(consent.phoneNumber)}`);
  });

  router.post('/admin/subscriptions/:subscriptionId/cancel', ...signedInForm(ctx), async (req, res) => {
    const operator = signedInOf(res).operator;
    const subscription = await cancelSubscriptionAsOperator(ctx, operator, idParam(req, 'subscriptionId'));
    res.redirect(303, `/admin/grants?phoneNumber=${encodeURIComponent(subscription.phoneNumber)}`);
  });

  router.post('/admin/grants/:grantId/revoke', ...signedInForm(ctx), async (req, res) => {
    const grant = await revokeGrantAsOperator(ctx, signedInOf(res).operator, idParam(req, 'grantId'));
    res.redirect(303, `/admin/grants?phoneNumber=${encodeURIComponent(grant.phoneNumber)}`);
  });
  return router;
}
