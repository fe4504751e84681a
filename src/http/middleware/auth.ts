import type { Request, RequestHandler, Response } from 'express';
import { errors } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/otp.js';
import { authenticateMerchant } from '../../services/access/access-tokens.js';
import type { Context, MerchantPrincipal } from '../../services/context.js';

function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/** Requires a merchant access token carrying `scope` (checked before any resource is looked up). */
export function requireScope(ctx: Context, scope: string): RequestHandler {
  return async (req, res, next) => {
    res.locals.merchant = await authenticateMerchant(ctx, bearer(req), scope);
    next();
  };
}

export function merchantOf(res: Response): MerchantPrincipal {
  return res.locals.merchant as MerchantPrincipal;
}

/** Whether the request carries the operator token (constant-time comparison). */
export function isOperator(req: Request, operatorToken: string): boolean {
  return secretsEqual(bearer(req) ?? '', operatorToken);
}

/** Requires the operator token. */
export function requireOperator(operatorToken: string): RequestHandler {
  return (req, _res, next) => {
    next(isOperator(req, operatorToken) ? undefined : errors.unauthenticated());
  };
}
