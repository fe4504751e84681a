import express, { Router, type Request, type Response } from 'express';
import { ApiError } from '../../domain/errors.js';
import { OAuthError } from '../../services/access/access-tokens.js';
import {
  answerableHere,
  answerApproval,
  approvalRequest,
  codeFlowClient,
  codeFlowRequest,
  startCodeFlow,
  stillOpen,
  type AuthorizationRequest,
  type CodeFlowRequest,
} from '../../services/access/phone-user-authorization.js';
import type { Context } from '../../services/context.js';
import { merchantName } from '../../services/merchant-name.js';
import { GRANT_TEXTS, type GrantTexts } from '../pages/grant-texts.js';
import { escapeHtml, page, sendHtml } from '../pages/render.js';
import { languageOf, type Language } from '../pages/texts.js';
import { NO_CONTROL_CHARACTERS } from '../../services/input.js';
import { hostCookie } from '../cookies.js';
import { clientAddressOf, formFields } from '../validation.js';

/** The authorization request's parameters, from the query (GET) or carried in the form (POST). */
const PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

/**
 * The phone user's side of three-legged access, server-rendered, no JavaScript, English or Korean:
 * `/oauth/authorize` (the authorization code flow: type the number, get a code) and
 * `/oauth/approve/{link}` (the code, then allow or refuse; CIBA's SMS links to it). Answering
 * needs the link's secret and the SMS code; a code-flow request also needs the cookie of the
 * browser that started it, so nobody can get another person's browser to approve their request.
 */
export function authorizationPageRoutes(ctx: Context): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const lang = (req: Request): Language => languageOf(req.get('accept-language'));
  /** Binds an authorization-code approval to the browser that started it (`__Host-cbg_approval` over https). */
  const approvalCookie = (req: Request) => hostCookie(ctx, req, 'cbg_approval', '/oauth');
  const show = (req: Request, res: Response, status: number, body: string, formTargets: string[] = []) => {
    const t = GRANT_TEXTS[lang(req)];
    sendHtml(res, status, page(lang(req), t.title, `<h1>${escapeHtml(t.title)}</h1>${body}`), formTargets);
  };
  const card = (text: string, kind?: 'error' | 'notice') =>
    `<div class="card"><p${kind ? ` class="${kind}" role="status"` : ''}>${escapeHtml(text)}</p></div>`;

  /** The checked request, or an answer already sent (an error page, or the error sent back to the merchant). */
  const codeFlow = async (req: Request, res: Response, read: (name: string) => string) => {
    const redirectUri = read('redirect_uri');
    const wellFormed = PARAMS.every((name) => read(name).length <= 2048 && NO_CONTROL_CHARACTERS.test(read(name)));
    const merchant = wellFormed ? await codeFlowClient(ctx, read('client_id'), redirectUri) : undefined;
    if (!merchant || read('state').length > 512) {
      show(req, res, 400, card(GRANT_TEXTS[lang(req)].badRequest, 'error'));
      return undefined;
    }
    try {
      return codeFlowRequest(merchant, redirectUri, {
        responseType: read('response_type'),
        scope: read('scope'),
        state: read('state') || undefined,
        codeChallenge: read('code_challenge'),
        method: read('code_challenge_method'),
      });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const back = new URL(redirectUri);
      back.searchParams.set('error', error.error);
      if (read('state')) back.searchParams.set('state', read('state'));
      res.redirect(303, back.toString());
      return undefined;
    }
  };

  const numberForm = (req: Request, request: CodeFlowRequest, read: (name: string) => string, message?: string) => {
    const t = GRANT_TEXTS[lang(req)];
    const hidden = PARAMS.map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(read(name))}">`).join(
      '',
    );
    const hint = /^tel:(\+[0-9]+)$/.exec(read('login_hint'))?.[1] ?? read('phoneNumber');
    return `${asks(t, request.merchant.name, request.scopes)}<div class="card">${message ? `<p class="error" role="status">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/oauth/authorize">${hidden}<label for="phoneNumber">${escapeHtml(t.numberLabel)}</label>
<input id="phoneNumber" name="phoneNumber" type="text" inputmode="tel" autocomplete="tel" maxlength="20" value="${escapeHtml(hint)}" required>
<button type="submit">${escapeHtml(t.sendCode)}</button></form></div>`;
  };

  router.get('/oauth/authorize', async (req, res) => {
    const read = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : '');
    const request = await codeFlow(req, res, read);
    if (request) show(req, res, 200, numberForm(req, request, read));
  });

  router.post('/oauth/authorize', form, async (req, res) => {
    const fields = formFields(req);
    const read = (name: string) => fields.text(name);
    const request = await codeFlow(req, res, read);
    if (!request) return;
    try {
      const { path, browserKey } = await startCodeFlow(ctx, request, fields.text('phoneNumber'), clientAddressOf(req));
      approvalCookie(req).set(res, browserKey);
      res.redirect(303, path);
    } catch (error) {
      if (!(error instanceof ApiError) && !(error instanceof OAuthError)) throw error;
      const t = GRANT_TEXTS[lang(req)];
      const message = error instanceof ApiError ? error.message : error.status === 429 ? t.tooMany : error.error;
      show(req, res, error.status === 429 ? 429 : 400, numberForm(req, request, read, message));
    }
  });

  /** The request behind the link, or an error page already sent. */
  const load = async (req: Request, res: Response) => {
    const t = GRANT_TEXTS[lang(req)];
    try {
      const request = await approvalRequest(ctx, String(req.params.token), clientAddressOf(req));
      if (!request) show(req, res, 404, card(t.notFound, 'error'));
      return request;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429) throw error;
      res.set('Retry-After', String(error.retryAfterSeconds ?? 60));
      show(req, res, 429, card(t.tooMany, 'error'));
      return undefined;
    }
  };

  const approvalPage = async (req: Request, res: Response, request: AuthorizationRequest, message?: string) => {
    const t = GRANT_TEXTS[lang(req)];
    const name = await merchantName(ctx, request.merchant_id);
    if (!stillOpen(ctx, request)) {
      const ended =
        request.status === 'approved' || request.status === 'issued'
          ? card(`${t.approved(name)} ${t.revokeLater}`, 'notice')
          : request.status === 'denied'
            ? card(t.denied)
            : card(t.linkExpired, 'error');
      show(req, res, 200, ended);
      return;
    }
    const action = escapeHtml(`/oauth/approve/${String(req.params.token)}`);
    // The answer of an authorization-code request redirects to the merchant: the forms must be allowed to.
    const targets = request.redirect_uri ? [new URL(request.redirect_uri).origin] : [];
    show(
      req,
      res,
      200,
      `${asks(t, name, request.scopes)}<div class="card">${message ? `<p class="error" role="status">${escapeHtml(message)}</p>` : ''}
<form method="post" action="${action}"><input type="hidden" name="decision" value="approve">
<label for="code">${escapeHtml(t.codeLabel)}</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
<button type="submit">${escapeHtml(t.approve)}</button></form>
<form method="post" action="${action}"><input type="hidden" name="decision" value="deny"><button type="submit" class="secondary">${escapeHtml(t.deny)}</button></form>
<p>${escapeHtml(t.revokeLater)}</p></div>`,
      targets,
    );
  };

  router.get('/oauth/approve/:token', async (req, res) => {
    const request = await load(req, res);
    if (request) await approvalPage(req, res, request);
  });

  router.post('/oauth/approve/:token', form, async (req, res) => {
    const request = await load(req, res);
    if (!request) return;
    const t = GRANT_TEXTS[lang(req)];
    if (!answerableHere(ctx, request, req.params.token, approvalCookie(req).read())) {
      show(req, res, 403, card(t.otherBrowser, 'error'));
      return;
    }
    const fields = formFields(req);
    let outcome;
    try {
      outcome = await answerApproval(
        ctx,
        request,
        fields.text('decision') === 'deny' ? { approve: false } : { approve: true, code: fields.text('code') },
        clientAddressOf(req),
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429) throw error;
      res.set('Retry-After', String(error.retryAfterSeconds ?? 60));
      show(req, res, 429, card(t.tooMany, 'error'));
      return;
    }
    if ((outcome.kind === 'approved' || outcome.kind === 'denied') && outcome.redirect) {
      res.redirect(303, outcome.redirect);
      return;
    }
    if (outcome.kind === 'wrong_code') {
      await approvalPage(req, res, request, t.wrongCode(outcome.attemptsLeft));
      return;
    }
    res.redirect(303, `/oauth/approve/${req.params.token}`);
  });
  return router;
}

function asks(t: GrantTexts, merchant: string, scopes: readonly string[]): string {
  const items = scopes.map((s) => `<li>${escapeHtml(t.abilities[s] ?? s)}</li>`).join('');
  return `<div class="card"><p>${escapeHtml(t.asks(merchant))}</p><ul>${items}</ul></div>`;
}
