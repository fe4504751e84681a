import { createHmac } from 'node:crypto';
import { secretsEqual } from '../../domain/otp.js';
import type { Context } from '../context.js';

const SESSION_HOURS = 8;

/**
 * The dashboard's session: a signed cookie `<expiry>.<HMAC(expiry)>` under a key derived from the
 * operator token, so it needs no storage, works on every instance, and dies with a new token.
 */
function sign(ctx: Context, operatorToken: string, expires: number): string {
  return createHmac('sha256', ctx.keys.tokens)
    .update(`operator-session:${operatorToken}:${expires}`)
    .digest('base64url');
}

export function openSession(ctx: Context, operatorToken: string, given: string): string | undefined {
  if (!secretsEqual(given, operatorToken)) return undefined;
  const expires = ctx.clock.now().getTime() + SESSION_HOURS * 3_600_000;
  return `${expires}.${sign(ctx, operatorToken, expires)}`;
}

export function sessionValid(ctx: Context, operatorToken: string, cookie: string | undefined): boolean {
  const [expires = '', signature = ''] = (cookie ?? '').split('.');
  const until = Number(expires);
  return (
    Number.isFinite(until) &&
    until > ctx.clock.now().getTime() &&
    secretsEqual(signature, sign(ctx, operatorToken, until))
  );
}

export const SESSION_MAX_AGE_MS = SESSION_HOURS * 3_600_000;
