import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { errors } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/otp.js';
import type { OperatorRecord } from '../../ports/store/operators.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { text } from '../input.js';
import { keyedDigest, randomId } from '../keys.js';
import { braked, GUARD_WINDOW_SECONDS } from '../failure-guard.js';

/** The account whose token is OPERATOR_TOKEN (set up by the migration; it cannot be deleted). */
export const BOOTSTRAP_OPERATOR_ID = 'op_bootstrap';

export const newOperatorSchema = z.object({ name: text(100), role: z.enum(['viewer', 'admin']) });

/** An operator's token is `<account id>.<256 random bits>`: a try names the account it is for. */
const TOKEN = /^(op_[\w-]{1,40})\.[\w-]{43}$/;
const digestOf = (ctx: Context, token: string) => keyedDigest(ctx.keys.tokens, `operator:${token}`);

export function operatorView(o: OperatorRecord) {
  return { operatorId: o.id, name: o.name, role: o.role, createdAt: o.created_at.toISOString() };
}

const principalOf = (o: OperatorRecord): OperatorPrincipal => ({ id: o.id, name: o.name, role: o.role });

/**
 * The operator behind a token (the dashboard's sign-in and the operator API's bearer), with brakes
 * on guessing: each try from a client address takes a slot of its minute first (given back when
 * the token is right), so past `failedAttemptsPerAddressPerMinute` failures every try from there
 * is refused before any work, however many arrive at once. A wrong token also counts against the
 * account it names: past `failedAttemptsPerAccountPerMinute` such answers are 429 and logged, but
 * the account's right token is never refused for them, so knowing an operator's account id is no
 * way to shut its owner out.
 */
export async function authenticateOperator(
  ctx: Context,
  bootstrapToken: string,
  token: string,
  clientAddress: string,
): Promise<OperatorPrincipal> {
  const limits = ctx.config.operators;
  const operator = await braked(
    ctx,
    `operator-failures:${clientAddress}`,
    limits.failedAttemptsPerAddressPerMinute,
    () => operatorWithToken(ctx, bootstrapToken, token),
    tooManyFailures,
  );
  if (operator) return operator;
  const account = TOKEN.exec(token)?.[1] ?? BOOTSTRAP_OPERATOR_ID;
  const counted = await ctx.cache.take(
    `operator-account-failures:${account}`,
    GUARD_WINDOW_SECONDS,
    limits.failedAttemptsPerAccountPerMinute,
  );
  if (counted) throw errors.unauthenticated();
  ctx.log.warn({ operatorId: account }, 'repeated wrong tokens for an operator account');
  throw tooManyFailures();
}

/**
 * At start: the bootstrap admin's token is OPERATOR_TOKEN as configured now; if it is not the one
 * the last start had, the sessions signed in with the old one end.
 */
export async function adoptBootstrapToken(ctx: Context, bootstrapToken: string): Promise<void> {
  const ended = await ctx.store.operators.adoptBootstrapToken(digestOf(ctx, `bootstrap:${bootstrapToken}`));
  if (ended > 0) ctx.log.info({ sessions: ended }, 'OPERATOR_TOKEN is new: its earlier dashboard sessions ended');
}

const tooManyFailures = () =>
  errors.tooManyRequests('Too many wrong operator tokens; try again in a minute.', GUARD_WINDOW_SECONDS);

async function operatorWithToken(
  ctx: Context,
  bootstrapToken: string,
  token: string,
): Promise<OperatorPrincipal | undefined> {
  if (secretsEqual(token, bootstrapToken)) {
    const bootstrap = await ctx.store.operators.find(BOOTSTRAP_OPERATOR_ID);
    return bootstrap && principalOf(bootstrap);
  }
  if (!TOKEN.test(token)) return undefined;
  const operator = await ctx.store.operators.findByTokenDigest(digestOf(ctx, token));
  return operator && principalOf(operator);
}

/** A new operator account; its token is returned here once and never stored in clear. */
export async function createOperator(ctx: Context, by: OperatorPrincipal, input: z.infer<typeof newOperatorSchema>) {
  requireAdmin(by);
  const id = randomId('op_', 12);
  const token = `${id}.${randomBytes(32).toString('base64url')}`;
  const operator = await ctx.store.transaction(async (tx) => {
    const created = await tx.operators.insert({
      id,
      name: input.name,
      role: input.role,
      token_digest: digestOf(ctx, token),
      created_by: actorOf(by),
    });
    await tx.audit.recordAction({
      actor: actorOf(by),
      event: 'operator_created',
      detail: { by: by.name, operatorId: id, name: input.name, role: input.role },
    });
    return created;
  });
  return { ...operatorView(operator), token };
}

export async function listOperators(ctx: Context) {
  return (await ctx.store.operators.list()).map(operatorView);
}

/** Deletes an account: its token and its dashboard sessions stop working at once. */
export async function deleteOperator(ctx: Context, by: OperatorPrincipal, operatorId: string): Promise<void> {
  requireAdmin(by);
  if (operatorId === BOOTSTRAP_OPERATOR_ID)
    throw errors.conflict('The bootstrap admin is OPERATOR_TOKEN: change that setting to replace it.');
  await ctx.store.transaction(async (tx) => {
    const operator = await tx.operators.find(operatorId);
    if (!operator || !(await tx.operators.remove(operatorId, ctx.clock.now())))
      throw errors.notFound('No such operator.');
    await tx.audit.recordAction({
      actor: actorOf(by),
      event: 'operator_deleted',
      detail: { by: by.name, operatorId, name: operator.name },
    });
  });
}
