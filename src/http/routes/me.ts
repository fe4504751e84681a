import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { ApiError, errors } from '../../domain/errors.js';
import type { Context } from '../../services/context.js';
import { blockNumber, setOwnLimit, unblockNumber } from '../../services/phone-users/controls.js';
import {
  finishSignIn,
  selfServiceFormToken,
  selfServiceFormValid,
  sessionNumber,
  signOut,
  startSignIn,
} from '../../services/phone-users/self-service-session.js';
import {
  cancelOwnSubscription,
  revokeOwnConsent,
  revokeOwnGrant,
  selfServiceView,
} from '../../services/phone-users/self-service.js';
import { hostCookie } from '../cookies.js';
import { codeForm, numberForm, overview } from '../pages/me.js';
import { ME_TEXTS } from '../pages/me-texts.js';
import { escapeHtml, page, sendHtml } from '../pages/render.js';
import { languageOf } from '../pages/texts.js';
import { clientAddressOf, formFields } from '../validation.js';

const amount = z.string().regex(/^\d{1,12}$/);

/**
 * The phone user's self-service page at /me (CONTRACTS §7): sign in with the number and an SMS
 * code, then this month's purchases and certificates, the merchants that may charge without a
 * code or act for the number, with revoke, block and own-limit actions. Server-rendered, English
 * or Korean, no JavaScript; cookies HttpOnly and SameSite=Strict, and every form of a session
 * carries its form token.
 */
export function selfServiceRoutes(ctx: Context): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '2kb' });
  const sessionCookie = (req: Request) => hostCookie(ctx, req, 'cbg_me', '/me');
  const signInCookie = (req: Request) => hostCookie(ctx, req, 'cbg_me_sign_in', '/me');
  const textsOf = (req: Request) => ME_TEXTS[languageOf(req.get('accept-language'))];
  const show = (req: Request, res: Response, status: number, body: string) => {
    const t = textsOf(req);
    sendHtml(
      res,
      status,
      page(languageOf(req.get('accept-language')), t.title, `<h1>${escapeHtml(t.title)}</h1>${body}`),
    );
  };
  /** A page error a person can read: too many tries, an ended sign-in, a number no carrier serves. */
  const shown = (req: Request, error: unknown): string => {
    if (!(error instanceof ApiError)) throw error;
    return error.status === 429 ? textsOf(req).tooMany : error.message;
  };

  router.get('/me', async (req, res) => {
    const cookie = sessionCookie(req).read();
    const phoneNumber = await sessionNumber(ctx, cookie);
    if (!phoneNumber || !cookie) {
      show(req, res, 200, numberForm(textsOf(req)));
      return;
    }
    show(
      req,
      res,
      200,
      overview(textsOf(req), await selfServiceView(ctx, phoneNumber), selfServiceFormToken(ctx, cookie)),
    );
  });

  router.post('/me/sign-in', form, async (req, res) => {
    try {
      const secret = await startSignIn(ctx, formFields(req).text('phoneNumber'), clientAddressOf(req));
      signInCookie(req).set(res, secret, ctx.config.otp.ttlSeconds * 1000);
      res.redirect(303, '/me/code');
    } catch (error) {
      show(
        req,
        res,
        error instanceof ApiError && error.status === 429 ? 429 : 400,
        numberForm(textsOf(req), shown(req, error)),
      );
    }
  });

  router.get('/me/code', (req, res) => {
    if (!signInCookie(req).read()) res.redirect(303, '/me');
    else show(req, res, 200, codeForm(textsOf(req)));
  });

  router.post('/me/code', form, async (req, res) => {
    const t = textsOf(req);
    try {
      const session = await finishSignIn(
        ctx,
        signInCookie(req).read(),
        formFields(req).text('code'),
        clientAddressOf(req),
      );
      if (!session) {
        show(req, res, 200, codeForm(t, t.wrongCode));
        return;
      }
      signInCookie(req).clear(res);
      sessionCookie(req).set(res, session);
      res.redirect(303, '/me');
    } catch (error) {
      const message = shown(req, error);
      if (error instanceof ApiError && error.status === 410) {
        signInCookie(req).clear(res);
        show(req, res, 410, numberForm(t, message));
      } else show(req, res, 429, codeForm(t, message));
    }
  });

  /** A signed-in form: the session's number, after its form token is checked; else 403 and nothing done. */
  const signedIn = async (req: Request, res: Response, next: NextFunction) => {
    const cookie = sessionCookie(req).read();
    const phoneNumber = await sessionNumber(ctx, cookie);
    if (!phoneNumber || !cookie || !selfServiceFormValid(ctx, cookie, formFields(req).text('form'))) {
      next(errors.permissionDenied('Sign in again on /me.'));
      return;
    }
    res.locals.phoneNumber = phoneNumber;
    next();
  };
  const act = (path: string, action: (req: Request, phoneNumber: string) => Promise<unknown>) =>
    router.post(path, form, signedIn, async (req, res) => {
      await action(req, String(res.locals.phoneNumber));
      res.redirect(303, '/me');
    });

  act('/me/consents/:consentId/revoke', (req, phone) => revokeOwnConsent(ctx, phone, String(req.params.consentId)));
  act('/me/grants/:grantId/revoke', (req, phone) => revokeOwnGrant(ctx, phone, String(req.params.grantId)));
  act('/me/subscriptions/:subscriptionId/cancel', (req, phone) =>
    cancelOwnSubscription(ctx, phone, String(req.params.subscriptionId)),
  );
  act('/me/block', (_req, phone) => blockNumber(ctx, phone));
  act('/me/unblock', (_req, phone) => unblockNumber(ctx, phone));
  act('/me/limit', async (req, phone) => {
    const parsed = amount.safeParse(formFields(req).text('amount').replace(/,/g, ''));
    if (!parsed.success) throw errors.invalidArgument('amount: a whole number');
    const carrier = await ctx.carriers.route(phone);
    await setOwnLimit(ctx, phone, Number(parsed.data), carrier?.config.monthlyLimitMinor ?? Number.MAX_SAFE_INTEGER);
  });
  router.post('/me/sign-out', form, signedIn, async (req, res) => {
    await signOut(ctx, sessionCookie(req).read());
    sessionCookie(req).clear(res);
    res.redirect(303, '/me');
  });
  return router;
}
