import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { errors } from '../../domain/errors.js';
import type { MerchantChanges, MerchantRecord } from '../../ports/store/merchants.js';
import type { StoreTransaction } from '../../ports/store/store.js';
import { hashSecret } from '../access/client-secrets.js';
import { forgetMerchant } from '../access/merchant-authentication.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { text } from '../input.js';
import { MAX_SECRET_GRACE_SECONDS, MERCHANT_CATEGORIES } from '../../../config/schema.js';
import { knownScopes, merchantView } from './merchants.js';

const limit = (max: number) => z.number().int().positive().max(max).nullable().optional();

/**
 * Where the authorization-code flow may send a phone user back: an absolute https URL (http only
 * to this machine, for development) without a fragment or credentials, compared exactly.
 */
const redirectUri = text(2048).refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return (
    (url.protocol === 'https:' || (url.protocol === 'http:' && local)) &&
    url.hash === '' &&
    !value.includes('#') &&
    url.username === '' &&
    url.password === ''
  );
}, 'must be an https URL without a fragment (http only for localhost)');

/**
 * What an operator may change of a merchant (CONTRACTS §2): its settings, and limits of its own
 * that override the configured defaults, so a large merchant is not throttled by them (null
 * returns a limit to the default). Fields this gateway does not know are refused, not ignored.
 */
export const merchantChangeSchema = z
  .object({
    name: text(100).optional(),
    scopes: z.array(z.string().max(100)).max(20).optional(),
    oneStepPayments: z.boolean().optional(),
    validationMode: z.enum(['validate', 'open']).optional(),
    completionMode: z.enum(['sync', 'async']).optional(),
    category: z.enum(MERCHANT_CATEGORIES).optional(),
    redirectUris: z.array(redirectUri).max(10).optional(),
    dailyCapMinor: limit(1e12),
    limits: z
      .object({
        requestsPerSecond: limit(100_000),
        readsPerSecond: limit(100_000),
        writesPerSecond: limit(100_000),
        codesPerMinute: limit(1_000_000),
        maxPaymentMinor: limit(1e12),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'names nothing to change');

export const rotationSchema = z
  .object({
    graceSeconds: z.number().int().min(0).max(MAX_SECRET_GRACE_SECONDS).optional(),
    revokeTokens: z.boolean().optional(),
  })
  .strict();

const toBigInt = (v: number | null | undefined) => (v === undefined || v === null ? v : BigInt(v));

/** Changes a merchant's settings; every instance forgets its cached tokens, so they apply at once. */
export async function updateMerchant(
  ctx: Context,
  by: OperatorPrincipal,
  merchantId: string,
  change: z.infer<typeof merchantChangeSchema>,
) {
  const changes: MerchantChanges = {
    name: change.name,
    scopes: change.scopes && knownScopes(change.scopes),
    one_step_payments: change.oneStepPayments,
    validation_mode: change.validationMode,
    completion_mode: change.completionMode,
    redirect_uris: change.redirectUris,
    category: change.category,
    daily_cap_minor: toBigInt(change.dailyCapMinor),
    requests_per_second: change.limits?.requestsPerSecond,
    reads_per_second: change.limits?.readsPerSecond,
    writes_per_second: change.limits?.writesPerSecond,
    codes_per_minute: change.limits?.codesPerMinute,
    max_payment_minor: toBigInt(change.limits?.maxPaymentMinor),
  };
  return changed(ctx, by, merchantId, 'merchant_updated', { change }, (tx) => tx.merchants.update(merchantId, changes));
}

/** Stops a merchant at once: its tokens end (on every instance) and it gets no new ones. */
export async function disableMerchant(ctx: Context, by: OperatorPrincipal, merchantId: string) {
  return changed(ctx, by, merchantId, 'merchant_disabled', {}, (tx) =>
    tx.merchants.setDisabled(merchantId, ctx.clock.now()),
  );
}

export async function enableMerchant(ctx: Context, by: OperatorPrincipal, merchantId: string) {
  return changed(ctx, by, merchantId, 'merchant_enabled', {}, (tx) => tx.merchants.setDisabled(merchantId, null));
}

/**
 * A new client secret, returned once. The old one keeps working for `graceSeconds` (default
 * merchants.secretGraceSeconds) so the merchant can deploy the new one, then never; for a leaked
 * secret, 0 and `revokeTokens` end it and everything issued with it at once.
 */
export async function rotateMerchantSecret(
  ctx: Context,
  by: OperatorPrincipal,
  merchantId: string,
  options: z.infer<typeof rotationSchema>,
) {
  requireAdmin(by);
  const clientSecret = randomBytes(32).toString('base64url');
  const graceSeconds = options.graceSeconds ?? ctx.config.merchants.secretGraceSeconds;
  const previousValidUntil = new Date(ctx.clock.now().getTime() + graceSeconds * 1000);
  await changed(ctx, by, merchantId, 'client_secret_rotated', { graceSeconds, ...options }, async (tx) => {
    const rotated = await tx.merchants.rotateClientSecret(
      merchantId,
      hashSecret(ctx.keys.clientSecrets, clientSecret),
      previousValidUntil,
    );
    if (rotated && options.revokeTokens) await tx.tokens.revokeAll(merchantId);
    return rotated;
  });
  return { clientSecret, previousValidUntil: previousValidUntil.toISOString() };
}

/** Ends every access token of a merchant, on every instance; the merchant may ask for new ones. */
export async function revokeMerchantTokens(ctx: Context, by: OperatorPrincipal, merchantId: string) {
  let revoked = 0;
  await changed(ctx, by, merchantId, 'tokens_revoked', {}, async (tx) => {
    const merchant = await tx.merchants.find(merchantId);
    if (merchant) revoked = await tx.tokens.revokeAll(merchantId);
    return merchant;
  });
  return { revoked };
}

/** What operators did to a merchant, newest first: the audit trail's administrative rows. */
export async function merchantActions(ctx: Context, merchantId: string, limit = 20) {
  return (await ctx.store.audit.actions(limit, merchantId)).map((a) => ({
    at: a.created_at.toISOString(),
    by: typeof a.detail?.by === 'string' ? a.detail.by : a.actor,
    event: a.event,
  }));
}

/** One change of a merchant with its audit row in one transaction, then the news to every instance. */
async function changed(
  ctx: Context,
  by: OperatorPrincipal,
  merchantId: string,
  event: string,
  detail: Record<string, unknown>,
  change: (tx: StoreTransaction) => Promise<MerchantRecord | undefined>,
) {
  requireAdmin(by);
  const merchant = await ctx.store.transaction(async (tx) => {
    const after = await change(tx);
    if (!after) throw errors.notFound('No such merchant.');
    await tx.audit.recordAction({ actor: actorOf(by), event, merchantId, detail: { by: by.name, ...detail } });
    return after;
  });
  await forgetMerchant(ctx, merchantId);
  return merchantView(merchant, ctx.clock.now());
}
