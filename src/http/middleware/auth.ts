import type { Request, RequestHandler, Response } from 'express';
import { clientAddressOf } from '../validation.js';
import { ApiError, errors } from '../../domain/errors.js';
import { authenticateOperator } from '../../services/access/operator-accounts.js';
import { authenticateMerchant } from '../../services/access/merchant-authentication.js';
import { spendRequestBudget } from '../../services/access/request-budget.js';
import {
  VIEWER_READS_ONLY,
  type Context,
  type MerchantPrincipal,
  type OperatorPrincipal,
} from '../../services/context.js';

function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/**
 * Requires a merchant access token carrying `scope` (checked before any resource is looked up),
 * then spends one of the merchant's reads or writes of this second (429 beyond): a read for GET,
 * or where the route says so (a look-up sent as POST).
 */
export function requireScope(ctx: Context, scope: string, kind?: 'read' | 'write'): RequestHandler {
  return async (req, res, next) => {
    const merchant = await authenticateMerchant(ctx, bearer(req), scope);
    await spendRequestBudget(ctx, merchant, kind ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write'));
    res.locals.merchant = merchant;
    next();
  };
}

export function merchantOf(res: Response): MerchantPrincipal {
  return res.locals.merchant as MerchantPrincipal;
}

/**
 * Requires an operator's token (any account's, or OPERATOR_TOKEN); a viewer may read but gets 403
 * on every change. Wrong tokens are braked per address and account (authenticateOperator).
 */
export function requireOperator(ctx: Context, bootstrapToken: string): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req);
    if (!token) throw errors.unauthenticated();
    const operator = await authenticateOperator(ctx, bootstrapToken, token, clientAddressOf(req));
    if (operator.role !== 'admin' && req.method !== 'GET' && req.method !== 'HEAD')
      throw errors.permissionDenied(VIEWER_READS_ONLY);
    res.locals.operator = operator;
    next();
  };
}

export function operatorOf(res: Response): OperatorPrincipal {
  return res.locals.operator as OperatorPrincipal;
}

/** The operator a request's token names, if it carries a right one (for views that show operators more). */
export async function operatorIfAny(ctx: Context, bootstrapToken: string, req: Request) {
  const token = bearer(req);
  if (!token) return undefined;
  try {
    return await authenticateOperator(ctx, bootstrapToken, token, clientAddressOf(req));
  } catch (error) {
    // A wrong token sees the public view; a database that went away is still an error.
    if (error instanceof ApiError) return undefined;
    throw error;
  }
}
