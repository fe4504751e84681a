import { randomBytes } from 'node:crypto';
import { secretsEqual } from '../../domain/otp.js';
import type { Context, OperatorPrincipal } from '../context.js';
import { keyedDigest } from '../keys.js';

/**
 * The dashboard's sessions live on the server (security finding 6): the cookie holds 256 random
 * bits, the database their keyed digest. Signing out deletes the row, so a copied cookie dies with
 * it; a session also ends after `sessionIdleMinutes` without use, `sessionHours` after sign-in, and
 * when its operator's account is deleted.
 */
const digestOf = (ctx: Context, sessionId: string) => keyedDigest(ctx.keys.tokens, `operator-session:${sessionId}`);

export async function openSession(
  ctx: Context,
  operator: OperatorPrincipal,
): Promise<{ id: string; maxAgeMs: number }> {
  const id = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const maxAgeMs = ctx.config.operators.sessionHours * 3_600_000;
  await ctx.store.operators.openSession(digestOf(ctx, id), operator.id, now, new Date(now.getTime() + maxAgeMs));
  return { id, maxAgeMs };
}

/** The operator of a live session, which counts as used now; undefined for no session or an ended one. */
export async function sessionOperator(
  ctx: Context,
  sessionId: string | undefined,
): Promise<OperatorPrincipal | undefined> {
  if (!sessionId || !/^[\w-]{43}$/.test(sessionId)) return undefined;
  const now = ctx.clock.now();
  const operator = await ctx.store.operators.useSession(digestOf(ctx, sessionId), now, sessionIdleSince(ctx, now));
  return operator && { id: operator.id, name: operator.name, role: operator.role };
}

/** A session not used since this instant has ended. */
export function sessionIdleSince(ctx: Context, now: Date): Date {
  return new Date(now.getTime() - ctx.config.operators.sessionIdleMinutes * 60_000);
}

export async function closeSession(ctx: Context, sessionId: string | undefined): Promise<void> {
  if (sessionId && /^[\w-]{43}$/.test(sessionId)) await ctx.store.operators.closeSession(digestOf(ctx, sessionId));
}

/** The session's form token (forms of the dashboard carry it): derived from the session, so it needs no storage. */
export function formTokenOf(ctx: Context, sessionId: string): string {
  return keyedDigest(ctx.keys.tokens, `operator-form:${sessionId}`).toString('base64url');
}

export function formTokenValid(ctx: Context, sessionId: string, given: string): boolean {
  return secretsEqual(given, formTokenOf(ctx, sessionId));
}
