import express, { Router, type Request, type Response } from 'express';
import { ApiError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/otp.js';
import {
  linkExpired,
  pageFormToken,
  pageFormTokenValid,
  pagePayment,
  pageView,
  refreshedView,
  requestNewCode,
  submitCode,
  type PageView,
} from '../../services/payments/confirmation-page.js';
import type { Context } from '../../services/context.js';
import { codeForm, escapeHtml, page, sendHtml, summaryCard } from '../pages/render.js';
import { hostCookie } from '../cookies.js';
import { clientAddressOf, formFields, type FormFields } from '../validation.js';
import { languageOf, TEXTS, type Texts } from '../pages/texts.js';

/** The page's form token cookie: `__Host-cbg_form` over https, `cbg_form` on /pay otherwise. */
const formCookie = (ctx: Context, req: Request) => hostCookie(ctx, req, 'cbg_form', '/pay');

/**
 * The hosted confirmation page for merchants in "open" validation mode, at /pay/{token}:
 * server-rendered, no JavaScript needed, English or Korean. Forms carry a token the server issued
 * for this payment, also in a SameSite=Strict cookie; unknown links are counted per client
 * address; a link ends with its payment's lifetime (410).
 */
export function confirmationPageRoutes(ctx: Context): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '2kb' });

  /** Finds the page's payment, or answers 404 (and, after many misses from one address, 429). */
  const load = async (req: Request, res: Response, t: Texts): Promise<PageView | undefined> => {
    const lang = languageOf(req.get('accept-language'));
    let payment;
    try {
      payment = await pagePayment(ctx, String(req.params.token), clientAddressOf(req));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429) throw error;
      sendHtml(
        res.set('Retry-After', String(error.retryAfterSeconds ?? 60)),
        429,
        page(lang, t.title, `<h1>${escapeHtml(t.tooMany)}</h1>`),
      );
      return undefined;
    }
    if (!payment) {
      sendHtml(res, 404, page(lang, t.title, `<h1>${escapeHtml(t.notFound)}</h1>`));
      return undefined;
    }
    if (linkExpired(ctx, payment)) {
      sendHtml(res, 410, page(lang, t.title, `<h1>${escapeHtml(t.linkExpired)}</h1>`));
      return undefined;
    }
    return pageView(ctx, payment);
  };

  const render = (
    req: Request,
    res: Response,
    view: PageView,
    message?: { kind: 'error' | 'notice'; text: string },
  ) => {
    const lang = languageOf(req.get('accept-language'));
    const t = TEXTS[lang];
    const summary = summaryCard(t, {
      merchant: view.merchantName,
      amount: view.amount,
      description: view.payment.description,
    });
    const status = view.payment.status;
    if (status === 'pending_validation') {
      const jar = formCookie(ctx, req);
      const given = jar.read();
      const csrf =
        pageFormTokenValid(ctx, view.payment.id, given) && given ? given : pageFormToken(ctx, view.payment.id);
      jar.set(res, csrf);
      sendHtml(
        res,
        200,
        page(
          lang,
          t.title,
          `<h1>${escapeHtml(t.title)}</h1>${summary}${codeForm(t, `/pay/${String(req.params.token)}`, csrf, message)}`,
        ),
      );
    } else if (status === 'reserved' || status === 'charging' || status === 'manual_review') {
      sendHtml(
        res,
        200,
        page(
          lang,
          t.title,
          `<h1>${escapeHtml(t.title)}</h1>${summary}<div class="card"><p class="notice">${escapeHtml(t.waiting)}</p></div>`,
          2,
        ),
      );
    } else if (status === 'succeeded') {
      const shown = view.certificate;
      const code = !shown
        ? ''
        : 'code' in shown
          ? `<p>${escapeHtml(t.certificate)}</p><p class="code" id="certificate">${escapeHtml(shown.code)}</p><p>${escapeHtml(t.certificateOnce)}</p>`
          : `<p id="certificate-ending">${escapeHtml(t.certificateEnding(shown.lastCharacters))}</p>`;
      sendHtml(
        res,
        200,
        page(lang, t.success, `<h1>${escapeHtml(t.success)}</h1>${summary}<div class="card">${code}</div>`),
      );
    } else {
      const reason =
        status === 'cancelled'
          ? t.reasons.cancelled
          : view.payment.denial_reason === 'validation_expired'
            ? t.reasons.expired
            : t.reasons.denied;
      sendHtml(
        res,
        200,
        page(
          lang,
          t.failed,
          `<h1>${escapeHtml(t.failed)}</h1>${summary}<div class="card"><p class="error">${escapeHtml(reason)}</p></div>`,
        ),
      );
    }
  };

  router.get('/pay/:token', async (req, res) => {
    const t = TEXTS[languageOf(req.get('accept-language'))];
    const view = await load(req, res, t);
    if (view) render(req, res, view);
  });

  const action =
    (
      act: (
        view: PageView,
        body: FormFields,
        t: Texts,
      ) => Promise<{ kind: 'error' | 'notice'; text: string } | undefined>,
    ) =>
    async (req: Request, res: Response) => {
      const t = TEXTS[languageOf(req.get('accept-language'))];
      const view = await load(req, res, t);
      if (!view) return;
      const body = formFields(req);
      const expected = formCookie(ctx, req).read() ?? '';
      if (!pageFormTokenValid(ctx, view.payment.id, expected) || !secretsEqual(body.text('csrf'), expected)) {
        // Not from our page (or its cookie is gone): nothing is done; a link back starts again.
        const back = `<p><a href="/pay/${escapeHtml(String(req.params.token))}">${escapeHtml(t.title)}</a></p>`;
        sendHtml(
          res,
          403,
          page(languageOf(req.get('accept-language')), t.title, `<h1>${escapeHtml(t.invalidForm)}</h1>${back}`),
        );
        return;
      }
      let message: { kind: 'error' | 'notice'; text: string } | undefined;
      try {
        message = await act(view, body, t);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        message = {
          kind: 'error',
          text:
            error.code === 'CARRIER_BILLING.INVALID_CODE'
              ? t.wrongCode(error.message.replace(/^Invalid code\.\s*/, ''))
              : error.code === 'TOO_MANY_REQUESTS'
                ? t.tooMany
                : error.message,
        };
      }
      const fresh = await refreshedView(ctx, view);
      if (!message && fresh.payment.status !== 'pending_validation') {
        res.redirect(303, `/pay/${String(req.params.token)}`);
        return;
      }
      render(req, res, fresh, message);
    };

  router.post(
    '/pay/:token/code',
    form,
    action(async (view, body) => {
      await submitCode(ctx, view, body.text('code').trim());
      return undefined;
    }),
  );
  router.post(
    '/pay/:token/resend',
    form,
    action(async (view, _body, t) => {
      await requestNewCode(ctx, view);
      return { kind: 'notice', text: t.resent };
    }),
  );
  return router;
}
