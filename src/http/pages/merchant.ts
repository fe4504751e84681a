import type { merchantActions } from '../../services/operators/merchant-lifecycle.js';
import type { MerchantView } from '../../services/operators/merchants.js';
import { formTokenField, table, type SignedIn } from './dashboard.js';
import { escapeHtml } from './render.js';

export type MerchantAction = Awaited<ReturnType<typeof merchantActions>>[number];

const graceLabel = (seconds: number) =>
  seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;

const limitOrDefault = (value: number | undefined) => (value === undefined ? 'default' : String(value));

/** A POST button to one of the merchant's actions, with the session's form token. */
function action(who: SignedIn, merchantId: string, path: string, label: string, extra = ''): string {
  return `<form method="post" action="/admin/merchants/${escapeHtml(merchantId)}/${path}" class="action">${formTokenField(who)}${extra}<button type="submit">${escapeHtml(label)}</button></form>`;
}

/** One merchant: its settings and limits, what operators did to it, and (for admins) what they may do. */
export function merchantBody(who: SignedIn, m: MerchantView, actions: MerchantAction[], graceSeconds: number): string {
  const details = table(
    ['status', 'client id', 'scopes', 'one-step', 'validation', 'created'],
    [
      [
        m.disabled ? `<strong>disabled</strong> since ${escapeHtml(m.disabledAt)}` : 'active',
        `<code>${escapeHtml(m.clientId)}</code>`,
        escapeHtml(m.scopes.join(' ')),
        m.oneStepPayments ? 'yes' : 'no',
        escapeHtml(m.validationMode),
        escapeHtml(m.createdAt),
      ],
    ],
  );
  const limits = table(
    ['payments a second', 'reads a second', 'writes a second', 'SMS a minute', 'largest payment', 'daily cap'],
    [
      [
        limitOrDefault(m.limits.requestsPerSecond),
        limitOrDefault(m.limits.readsPerSecond),
        limitOrDefault(m.limits.writesPerSecond),
        limitOrDefault(m.limits.codesPerMinute),
        limitOrDefault(m.limits.maxPaymentMinor),
        m.dailyCapMinor === undefined ? 'none' : String(m.dailyCapMinor),
      ].map((v) => escapeHtml(v)),
    ],
  );
  const field = (name: string, label: string, value: number | undefined) =>
    `<label>${escapeHtml(label)} <input name="${name}" inputmode="numeric" pattern="[0-9]*" value="${escapeHtml(value)}"></label>`;
  const controls =
    who.role !== 'admin'
      ? '<p class="muted">Your account may read only.</p>'
      : `<h2>Change</h2>
<form method="post" action="/admin/merchants/${escapeHtml(m.merchantId)}/limits" class="search">${formTokenField(who)}
${field('requestsPerSecond', 'payments a second', m.limits.requestsPerSecond)}${field('readsPerSecond', 'reads a second', m.limits.readsPerSecond)}
${field('writesPerSecond', 'writes a second', m.limits.writesPerSecond)}${field('codesPerMinute', 'SMS a minute', m.limits.codesPerMinute)}
${field('maxPaymentMinor', 'largest payment', m.limits.maxPaymentMinor)}${field('dailyCapMinor', 'daily cap', m.dailyCapMinor)}
<button type="submit">Save limits</button> <span class="muted">(empty: the default)</span></form>
<div class="actions">${m.disabled ? action(who, m.merchantId, 'enable', 'Enable') : action(who, m.merchantId, 'disable', 'Disable now')}
${action(who, m.merchantId, 'revoke-tokens', 'Revoke all tokens')}
${action(who, m.merchantId, 'rotate-secret', `Rotate secret (old one works ${graceLabel(graceSeconds)})`)}
${action(who, m.merchantId, 'rotate-secret', 'Rotate leaked secret (old one and its tokens end now)', '<input type="hidden" name="leaked" value="yes">')}</div>`;
  const history = table(
    ['at', 'by', 'action'],
    actions.map((a) => [escapeHtml(a.at), escapeHtml(a.by), escapeHtml(a.event)]),
  );
  return `${details}<h2>Limits</h2>${limits}${controls}<h2>What operators did</h2>${history}`;
}

/** The new secret, shown this once. */
export function rotatedBody(m: MerchantView, secret: { clientSecret: string; previousValidUntil: string }): string {
  return `<p>The new client secret of <strong>${escapeHtml(m.name)}</strong> is shown only now; hand it to the merchant over a safe channel.</p>
<p><code class="secret">${escapeHtml(secret.clientSecret)}</code></p>
<p class="muted">The old secret works until ${escapeHtml(secret.previousValidUntil)}.</p>
<p><a href="/admin/merchants/${escapeHtml(m.merchantId)}">Back to the merchant</a></p>`;
}
