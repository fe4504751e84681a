import type { Response } from 'express';
import type { Language, Texts } from './texts.js';

/** Text made safe inside HTML elements and quoted attributes. */
export const escapeHtml = (v: string | number | bigint | null | undefined) =>
  String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A whole page: no script, no external resource; readable on a phone. */
export function page(lang: Language, title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}
<title>${escapeHtml(title)}</title>
<style>
body{font:17px/1.5 system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR",sans-serif;margin:0;background:#f5f5f7;color:#1d1d1f}
main{max-width:26rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:0 0 .6rem}
.card{background:#fff;border-radius:14px;padding:1.2rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;margin:.8rem 0}dt{color:#6e6e73}dd{margin:0;font-weight:600}
label{display:block;margin:.6rem 0 .3rem}
input[type=text]{width:100%;box-sizing:border-box;font-size:1.6rem;letter-spacing:.3em;padding:.5rem;border:1px solid #c7c7cc;border-radius:10px;text-align:center}
button{width:100%;font-size:1.05rem;padding:.75rem;border-radius:10px;border:0;margin-top:.8rem;background:#0071e3;color:#fff}
button.secondary{background:#e8e8ed;color:#1d1d1f}
.error{color:#b3261e;font-weight:600}.notice{color:#1b7f3b;font-weight:600}
.code{font:600 1.25rem/1.4 ui-monospace,monospace;word-break:break-all}
</style></head><body><main>${body}</main></body></html>`;
}

export interface Summary {
  merchant: string;
  amount: string;
  description: string;
}

export function summaryCard(t: Texts, s: Summary): string {
  return `<div class="card"><p>${escapeHtml(t.asks(s.merchant))}</p><dl><dt>${escapeHtml(t.amount)}</dt><dd>${escapeHtml(s.amount)}</dd><dt>${escapeHtml(t.item)}</dt><dd>${escapeHtml(s.description)}</dd></dl></div>`;
}

export function codeForm(
  t: Texts,
  action: string,
  csrf: string,
  message?: { kind: 'error' | 'notice'; text: string },
): string {
  return `<div class="card">${message ? `<p class="${message.kind}" role="status">${escapeHtml(message.text)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}/code"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="code">${escapeHtml(t.codeLabel)}</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
<button type="submit">${escapeHtml(t.confirm)}</button></form>
<form method="post" action="${escapeHtml(action)}/resend"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit" class="secondary">${escapeHtml(t.resend)}</button></form></div>`;
}

/**
 * Sends a page with the headers every page of ours carries: no caching, no script, no framing.
 * Its forms post to us only, unless `formTargets` names the origins a form's answer may redirect
 * to (browsers hold a redirect after a form to the page's form-action too).
 */
export function sendHtml(res: Response, status: number, html: string, formTargets: string[] = []): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${["'self'", ...formTargets].join(' ')}; frame-ancestors 'none'`,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    })
    .send(html);
}
