import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { errors } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/otp.js';
import type { OperatorRecord } from '../../ports/store/operators.js';
import { actorOf, type Context, type OperatorPrincipal } from '../context.js';
import { text } from '../input.js';
import { keyedDigest, randomId } from '../keys.js';

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
 * on guessing that never lock out the right token: an address that sent `failedAttemptsPerAddress`
 * wrong tokens this minute is refused before any work; a right token is always taken otherwise;
 * a wrong one takes a failure slot of its address and of the account it names, atomically, and is
 * answered 429 instead of 401 once either is full. So however many arrive at once, each address
 * and each account get at most that many answers a minute, and knowing an operator's account id
 * is no way to shut its owner out.
 */
export async function authenticateOperator(
  ctx: Context,
  bootstrapToken: string,
  token: string,
  clientAddress: string,
): Promise<OperatorPrincipal> {
  const limits = ctx.config.operators;
  const addressKey = `operator-failures:${clientAddress}`;
  if ((await ctx.cache.count(addressKey)) >= limits.failedAttemptsPerAddressPerMinute) throw tooManyFailures();
  const found = await operatorWithToken(ctx, bootstrapToken, token);
  if (found) return found;

  const account = TOKEN.exec(token)?.[1] ?? BOOTSTRAP_OPERATOR_ID;
  const [byAddress, byAccount] = await Promise.all([
    ctx.cache.take(addressKey, 60, limits.failedAttemptsPerAddressPerMinute),
    ctx.cache.take(`operator-account-failures:${account}`, 60, limits.failedAttemptsPerAccountPerMinute),
  ]);
  if (!byAccount) ctx.log.warn({ operatorId: account }, 'repeated wrong tokens for an operator account');
  if (!byAddress || !byAccount) throw tooManyFailures();
  throw errors.unauthenticated();
}

const tooManyFailures = () => errors.tooManyRequests('Too many wrong operator tokens; try again in a minute.', 60);

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
