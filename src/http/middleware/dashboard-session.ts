import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { errors } from '../../domain/errors.js';
import { formTokenOf, formTokenValid, sessionOperator } from '../../services/access/operator-session.js';
import type { Context, OperatorPrincipal } from '../../services/context.js';
import type { SignedIn } from '../pages/dashboard.js';
import { formFields, httpsOnly } from '../validation.js';

/**
 * The session cookie: `__Host-` when the dashboard is reached over https (Secure, whole site, no
 * Domain: no other host or path can set or shadow it), a plain name on the demo's http.
 */
export function sessionCookie(ctx: Context, req: Request) {
  return req.secure || httpsOnly(ctx)
    ? { name: '__Host-cbg_operator', options: { secure: true, path: '/' } }
    : { name: 'cbg_operator', options: { secure: false, path: '/admin' } };
}

function cookieOf(req: Request, name: string): string | undefined {
  return (req.get('cookie') ?? '')
    .split(';')
    .map((p) => p.trim().split('='))
    .find(([k]) => k === name)
    ?.slice(1)
    .join('=');
}

export type DashboardSession = SignedIn & { sessionId: string; operator: OperatorPrincipal };

/** The signed-in operator of a dashboard request (set by `signedIn`). */
export function signedInOf(res: Response): DashboardSession {
  return res.locals.signedIn as DashboardSession;
}

/** Pages of the dashboard: a live session, or off to the sign-in page. */
export function signedIn(ctx: Context): RequestHandler {
  return async (req, res, next) => {
    const sessionId = cookieOf(req, sessionCookie(ctx, req).name);
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
 * A POST of the dashboard: signed in, the form came from one of its pages (the session's form
 * token), and, with `admin`, the operator may change things.
 */
export function signedInForm(ctx: Context, role: 'any' | 'admin' = 'any'): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: '2kb' }),
    signedIn(ctx),
    (req: Request, res: Response, next: NextFunction) => {
      const { sessionId, operator } = signedInOf(res);
      if (!formTokenValid(ctx, sessionId, formFields(req).text('form'))) next(errors.permissionDenied());
      else if (role === 'admin' && operator.role !== 'admin')
        next(errors.permissionDenied('This operator account may read only (role viewer).'));
      else next();
    },
  ];
}
