import type { SelfServiceView } from '../../services/phone-users/self-service.js';
import type { MeTexts } from './me-texts.js';
import { escapeHtml } from './render.js';

const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
const notice = (message?: string) => (message ? `<p class="error" role="status">${escapeHtml(message)}</p>` : '');

export function numberForm(t: MeTexts, message?: string): string {
  return `<div class="card">${notice(message)}<form method="post" action="/me/sign-in">
<label for="phoneNumber">${escapeHtml(t.numberLabel)}</label><input id="phoneNumber" name="phoneNumber" type="text" inputmode="tel" autocomplete="tel" maxlength="20" required>
<button type="submit">${escapeHtml(t.sendCode)}</button></form></div>`;
}

export function codeForm(t: MeTexts, message?: string): string {
  return `<div class="card">${notice(message)}<form method="post" action="/me/code">
<label for="code">${escapeHtml(t.codeLabel)}</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
<button type="submit">${escapeHtml(t.signIn)}</button></form></div>`;
}

/** The signed-in page: each form carries the session's form token. */
export function overview(t: MeTexts, v: SelfServiceView, formToken: string): string {
  const token = `<input type="hidden" name="form" value="${escapeHtml(formToken)}">`;
  const action = (path: string, label: string, cls = 'secondary') =>
    `<form method="post" action="${escapeHtml(path)}">${token}<button type="submit" class="${cls}">${escapeHtml(label)}</button></form>`;
  const purchases = v.purchases.length
    ? `<ul>${v.purchases
        .map(
          (p) =>
            `<li><strong>${escapeHtml(p.merchant)}</strong> ${escapeHtml(p.amount)} · ${escapeHtml(p.description)} · ${escapeHtml(p.status)} · ${escapeHtml(when(p.at))}${
              p.certificate
                ? `<br><small>${escapeHtml(t.certificate(p.certificate.ending, p.certificate.balance, p.certificate.status))}</small>`
                : ''
            }</li>`,
        )
        .join('')}</ul>`
    : `<p>${escapeHtml(t.noPurchases)}</p>`;
  const consents = v.consents.length
    ? v.consents
        .map(
          (c) =>
            `<div class="item" id="consent-${escapeHtml(c.id)}"><p><strong>${escapeHtml(c.merchant)}</strong>: ${escapeHtml(c.description)}, ${escapeHtml(c.caps)}</p>${action(`/me/consents/${c.id}/revoke`, t.revoke)}</div>`,
        )
        .join('')
    : `<p>${escapeHtml(t.noConsents)}</p>`;
  const grants = v.grants.length
    ? v.grants
        .map(
          (g) =>
            `<div class="item" id="grant-${escapeHtml(g.id)}"><p><strong>${escapeHtml(g.merchant)}</strong> · ${escapeHtml(when(g.since))}</p>${action(`/me/grants/${g.id}/revoke`, t.revoke)}</div>`,
        )
        .join('')
    : `<p>${escapeHtml(t.noGrants)}</p>`;
  const subscriptions = v.subscriptions.length
    ? v.subscriptions
        .map(
          (s) =>
            `<div class="item" id="subscription-${escapeHtml(s.id)}"><p><strong>${escapeHtml(s.merchant)}</strong>: ${escapeHtml(s.description)}, ${escapeHtml(t.every(s.amount, s.every))}${
              s.next ? ` · ${escapeHtml(t.nextCharge(when(s.next)))}` : ''
            } · ${escapeHtml(s.status)}</p>${action(`/me/subscriptions/${s.id}/cancel`, t.cancel)}</div>`,
        )
        .join('')
    : `<p>${escapeHtml(t.noSubscriptions)}</p>`;
  const block = v.blocked
    ? `<p class="notice" id="blocked">${escapeHtml(t.blocked)}</p>${
        v.unblockAt ? `<p>${escapeHtml(t.unblockAt(when(v.unblockAt)))}</p>` : action('/me/unblock', t.unblock)
      }`
    : `<p>${escapeHtml(t.notBlocked)}</p>${action('/me/block', t.block)}`;
  const limit = `<p id="own-limit">${escapeHtml(v.ownLimit ? t.ownLimit(v.ownLimit) : t.noOwnLimit)}</p>
<form method="post" action="/me/limit">${token}<label for="amount">${escapeHtml(t.limit)}</label><input id="amount" name="amount" type="text" inputmode="numeric" maxlength="12" required><button type="submit">${escapeHtml(t.setLimit)}</button></form><p>${escapeHtml(t.limitNote)}</p>`;
  return `<p>${escapeHtml(t.signedInAs(v.phoneNumber))}</p>
<div class="card"><h2>${escapeHtml(t.purchases)}</h2>${purchases}</div>
<div class="card"><h2>${escapeHtml(t.consents)}</h2>${consents}</div>
<div class="card"><h2>${escapeHtml(t.subscriptions)}</h2>${subscriptions}</div>
<div class="card"><h2>${escapeHtml(t.grants)}</h2>${grants}</div>
<div class="card">${block}</div>
<div class="card">${limit}</div>
${action('/me/sign-out', t.signOut)}`;
}
