import { randomBytes } from 'node:crypto';
import { errors } from '../../domain/errors.js';
import { newOtpCode, secretsEqual } from '../../domain/otp.js';
import { requireRealPhoneNumber } from '../../domain/phone.js';
import { selfServiceCodeText } from '../../domain/sms-texts.js';
import { textPhoneUser } from '../carriers/sms.js';
import type { Context } from '../context.js';
import { braked, GUARD_WINDOW_SECONDS } from '../failure-guard.js';
import { keyedDigest } from '../keys.js';
import { servingCarrier } from '../payments/intake.js';
import { reserveCodeSend } from '../payments/send-allowance.js';

/**
 * Signing in to the self-service page (CONTRACTS §7): the number, then the SMS code sent to it.
 * Both secrets live in cookies as 256 random bits, the database keeps their keyed digests. Codes
 * sent to a number have counters of their own (never using up payment codes), and each client
 * address may start few sign-ins an hour; wrong codes end a sign-in after the payment codes'
 * tries and are braked per address. A session ends after 15 minutes unused, or an hour.
 */
const SESSION_IDLE_MS = 15 * 60_000;
const SESSION_MS = 60 * 60_000;
export const SIGN_INS_PER_ADDRESS_PER_HOUR = 10;
/**
 * Sign-in codes count toward this pseudo-merchant's sends a minute, not any real merchant's: a
 * small budget of their own, since anyone may ask for them.
 */
const SELF_SERVICE = { id: 'self-service', limits: { codesPerMinute: 60 } };

const digestOf = (ctx: Context, kind: string, secret: string) => keyedDigest(ctx.keys.tokens, `${kind}:${secret}`);
const SECRET = /^[\w-]{43}$/;

/** Texts a sign-in code to the number; the sign-in's secret (for its cookie). */
export async function startSignIn(ctx: Context, typedNumber: string, clientAddress: string): Promise<string> {
  const phoneNumber = requireRealPhoneNumber(typedNumber.replace(/[\s-]/g, ''));
  const carrier = await servingCarrier(ctx, phoneNumber);
  const fromAddress = await ctx.cache.take(
    `self-service-sign-ins:${clientAddress}`,
    3600,
    SIGN_INS_PER_ADDRESS_PER_HOUR,
  );
  const send = fromAddress && (await reserveCodeSend(ctx, phoneNumber, SELF_SERVICE, 'sign_in'));
  if (!send) {
    if (fromAddress) await ctx.cache.giveBack(fromAddress);
    throw errors.tooManyRequests('Too many codes asked for; try again later.', 3600);
  }
  const secret = randomBytes(32).toString('base64url');
  const code = newOtpCode();
  const ttl = ctx.config.otp.ttlSeconds;
  const now = ctx.clock.now();
  await ctx.store.phoneUserSessions
    .openSignIn(
      digestOf(ctx, 'me-sign-in', secret),
      phoneNumber,
      digestOf(ctx, `me-code:${secret}`, code),
      new Date(now.getTime() + ttl * 1000),
    )
    .catch(async (error: unknown) => {
      await Promise.all([send.giveBack(), ctx.cache.giveBack(fromAddress)]);
      throw error;
    });
  await textPhoneUser(
    ctx,
    carrier.config.id,
    phoneNumber,
    selfServiceCodeText(code, Math.max(1, Math.round(ttl / 60))),
    'sign_in',
  );
  return secret;
}

/**
 * The code of a sign-in: right → a session's secret (for its cookie); wrong → undefined (the
 * sign-in ends at the last allowed try); a gone or expired sign-in → 410.
 */
export async function finishSignIn(
  ctx: Context,
  signInSecret: string | undefined,
  code: string,
  clientAddress: string,
): Promise<string | undefined> {
  const now = ctx.clock.now();
  const digest = SECRET.test(signInSecret ?? '') ? digestOf(ctx, 'me-sign-in', signInSecret ?? '') : undefined;
  const signIn = digest && (await ctx.store.phoneUserSessions.findSignIn(digest, now));
  if (!digest || !signIn) throw errors.gone('This sign-in has ended; start again.');
  const right = await braked(
    ctx,
    `self-service-code-failures:${clientAddress}`,
    ctx.config.giftCertificates.failedAttemptsPerMinute,
    async () =>
      secretsEqual(digestOf(ctx, `me-code:${signInSecret ?? ''}`, code.trim()), signIn.otpDigest) || undefined,
    () => errors.tooManyRequests('Too many wrong codes; try again in a minute.', GUARD_WINDOW_SECONDS),
  );
  if (!right) {
    if (!(await ctx.store.phoneUserSessions.recordWrongCode(digest, ctx.config.otp.maxAttempts)))
      throw errors.gone('Too many wrong codes; start again.');
    return undefined;
  }
  const session = randomBytes(32).toString('base64url');
  const opened = await ctx.store.phoneUserSessions.completeSignIn(
    digest,
    digestOf(ctx, 'me-session', session),
    now,
    new Date(now.getTime() + SESSION_MS),
  );
  if (!opened) throw errors.gone('This sign-in has ended; start again.');
  return session;
}

/** The number a session cookie signs in, if the session is live (it counts as used now). */
export async function sessionNumber(ctx: Context, session: string | undefined): Promise<string | undefined> {
  if (!session || !SECRET.test(session)) return undefined;
  const now = ctx.clock.now();
  return ctx.store.phoneUserSessions.useSession(
    digestOf(ctx, 'me-session', session),
    now,
    new Date(now.getTime() - SESSION_IDLE_MS),
  );
}

export async function signOut(ctx: Context, session: string | undefined): Promise<void> {
  if (session && SECRET.test(session))
    await ctx.store.phoneUserSessions.closeSession(digestOf(ctx, 'me-session', session));
}

/** The session's form token, which every form of the page carries (derived, so nothing to store). */
export function selfServiceFormToken(ctx: Context, session: string): string {
  return digestOf(ctx, 'me-form', session).toString('base64url');
}

export function selfServiceFormValid(ctx: Context, session: string, given: string): boolean {
  return secretsEqual(given, selfServiceFormToken(ctx, session));
}

/** Housekeeping: ended sign-ins and sessions go. */
export async function deleteEndedSelfService(ctx: Context, now: Date): Promise<void> {
  await ctx.store.phoneUserSessions.deleteEnded(now, new Date(now.getTime() - SESSION_IDLE_MS));
}
