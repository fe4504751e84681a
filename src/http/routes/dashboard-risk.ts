import { Router } from 'express';
import type { Context } from '../../services/context.js';
import { riskOverview } from '../../services/risk/overview.js';
import { approveReview, declineReview } from '../../services/risk/reviews.js';
import { signedIn, signedInForm, signedInOf } from '../middleware/dashboard-session.js';
import { dashboardPage, formTokenField, table } from '../pages/dashboard.js';
import { escapeHtml, sendHtml } from '../pages/render.js';
import { idParam } from '../validation.js';

/**
 * The dashboard's risk page (the cash-out defence): what waits for a decision, what the rules
 * refused and why, who collects certificates from many numbers, and each rule's hits. Admins
 * approve or decline held payments and release or refuse held redemptions here.
 */
export function dashboardRiskRoutes(ctx: Context): Router {
  const router = Router();

  router.get('/admin/risk', signedIn(ctx), async (_req, res) => {
    const who = signedInOf(res);
    const risk = await riskOverview(ctx);
    const decide = (reviewId: string, action: 'approve' | 'decline', label: string) =>
      who.role === 'admin'
        ? `<form class="action" method="post" action="/admin/risk/reviews/${encodeURIComponent(reviewId)}/${action}">${formTokenField(who)}<button type="submit">${label}</button></form>`
        : '';
    const payment = (id: string) =>
      `<a href="/admin/payments/${encodeURIComponent(id)}"><code>${escapeHtml(id)}</code></a>`;
    const money = (m: { amount: number; currency: string }) => escapeHtml(`${m.amount} ${m.currency}`);
    const reviewRows = risk.reviews.reviews.map((r) => [
      escapeHtml(r.kind),
      r.kind === 'payment' ? payment(r.reviewId) : `<code>${escapeHtml(r.reviewId)}</code>`,
      escapeHtml(r.merchantName),
      escapeHtml(r.phoneNumber),
      money(r.amount),
      r.kind === 'redemption' ? escapeHtml(`${r.redeemer.accountId ?? ''} ${r.redeemer.ipAddress ?? ''}`) : '',
      escapeHtml(r.heldSince),
      r.reasons.map((reason) => `<b>${escapeHtml(reason.rule)}</b>: ${escapeHtml(reason.why)}`).join('<br>'),
      r.kind === 'payment'
        ? `${decide(r.reviewId, 'approve', 'Approve')}${decide(r.reviewId, 'decline', 'Decline')}`
        : `${decide(r.reviewId, 'approve', 'Release')}${decide(r.reviewId, 'decline', 'Refuse')}`,
    ]);
    const denialRows = risk.denials.map((d) => [
      payment(d.paymentId),
      `<code>${escapeHtml(d.merchantId)}</code>`,
      escapeHtml(d.phoneNumber),
      money(d.amount),
      escapeHtml(d.at),
      escapeHtml(d.rules.join(', ')),
    ]);
    const redeemerRows = risk.topRedeemers.map((r) => [
      `<code>${escapeHtml(r.merchantId)}</code>`,
      escapeHtml(r.accountId),
      String(r.buyers),
      String(r.redemptions),
    ]);
    const ruleRows = [
      ...risk.rules.payments.map((rule) => [
        'payment',
        `<b>${escapeHtml(rule.id)}</b><br>${escapeHtml(rule.description)}`,
        `<code>${escapeHtml(JSON.stringify(rule.when))}</code>`,
        escapeHtml(rule.enabled ? rule.decision : 'off'),
        // By what the payment came to (a review rule firing beside a deny rule counts as denied).
        escapeHtml(`${rule.hits.deny} denied, ${rule.hits.review} held, ${rule.hits.stepUp} stepped up and held`),
      ]),
      ...risk.rules.redemptions.map((rule) => [
        'redemption',
        `<b>${escapeHtml(rule.id)}</b><br>${escapeHtml(rule.description)}`,
        `<code>${escapeHtml(JSON.stringify(rule.when))}</code>`,
        escapeHtml(rule.enabled ? 'hold' : 'off'),
        escapeHtml(`${rule.hits.review} held`),
      ]),
    ];
    const body = `<h2>Waiting for a decision</h2><p class="muted">Held payments keep their reservation and lapse after ${ctx.config.risk.reviewHoldMinutes} minutes; held redemptions keep their amount until decided.</p>
${table(['kind', 'id', 'merchant', 'phone number', 'amount', 'redeemer', 'held since', 'why', 'decision'], reviewRows)}
<h2>Recent denials</h2>${table(['payment', 'merchant', 'phone number', 'amount', 'when', 'rules'], denialRows)}
<h2>Top redeemers, last 30 days</h2><p class="muted">Accounts that redeemed certificates bought by the most different numbers.</p>${table(['merchant', 'account', 'buying numbers', 'redemptions'], redeemerRows)}
<h2>Rules</h2><p class="muted">Version ${escapeHtml(risk.rules.version)}${risk.rules.updatedBy ? `, put by ${escapeHtml(risk.rules.updatedBy)}` : ' (the configured rules)'}; hits in the last 30 days. Change them with <code>PUT /admin/v1/risk/rules</code>.</p>
${table(['for', 'rule', 'when', 'decision', 'hits'], ruleRows)}`;
    sendHtml(res, 200, dashboardPage(who, 'Risk', body));
  });

  router.post('/admin/risk/reviews/:reviewId/approve', ...signedInForm(ctx), async (req, res) => {
    await approveReview(ctx, signedInOf(res).operator, idParam(req, 'reviewId'));
    res.redirect(303, '/admin/risk');
  });
  router.post('/admin/risk/reviews/:reviewId/decline', ...signedInForm(ctx), async (req, res) => {
    await declineReview(ctx, signedInOf(res).operator, idParam(req, 'reviewId'));
    res.redirect(303, '/admin/risk');
  });
  return router;
}
