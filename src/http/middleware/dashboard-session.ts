import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { errors } from '../../domain/errors.js';
import { formTokenOf, formTokenValid, sessionOperator } from '../../services/access/operator-session.js';
import type { Context, OperatorPrincipal } from '../../services/context.js';
import type { SignedIn } from '../pages/dashboard.js';
import { hostCookie } from '../cookies.js';
import { formFields } from '../validation.js';

/** The dashboard's session cookie: `__Host-cbg_operator` over https, `cbg_operator` on /admin otherwise. */
export const sessionCookie = (ctx: Context, req: Request) => hostCookie(ctx, req, 'cbg_operator', '/admin');

export type DashboardSession = SignedIn & { sessionId: string; operator: OperatorPrincipal };

/** The signed-in operator of a dashboard request (set by `signedIn`). */
export function signedInOf(res: Response): DashboardSession {
  return res.locals.signedIn as DashboardSession;
}

/** Pages of the dashboard: a live session, or off to the sign-in page. */
export function signedIn(ctx: Context): RequestHandler {
  return async (req, res, next) => {
    const sessionId = sessionCookie(ctx, req).read();
    const operator = await sessionOperator(ctx, sessionId);
    if (!operator || !sessionId) {
      res.redirect(303, '/admin/login');
      return;
    }
    const session: DashboardSession = {
      sessionId,
      operator,
      operatorName: operator.name,
      role: operator.role,
      formToken: formTokenOf(ctx, sessionId),
    };
    res.locals.signedIn = session;
    next();
  };
}

/**
 * A POST of the dashboard: signed in, and the form came from one of its pages (the session's form
 * token). Whether the operator may make the change is the service's to say (viewers may not).
 */
export function signedInForm(ctx: Context): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: '2kb' }),
    signedIn(ctx),
    (req: Request, res: Response, next: NextFunction) => {
      next(
        formTokenValid(ctx, signedInOf(res).sessionId, formFields(req).text('form'))
          ? undefined
          : errors.permissionDenied(),
      );
    },
  ];
}
