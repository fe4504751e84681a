import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { errors } from '../../domain/errors.js';
import type { MerchantRecord } from '../../ports/store/merchants.js';
import { hashSecret } from '../access/client-secrets.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { text } from '../input.js';
import { MERCHANT_CATEGORIES } from '../../../config/schema.js';
import { limitsOf } from '../merchant-limits.js';
import { encrypt, randomId, sealedAt } from '../keys.js';

export const ALL_SCOPES = [
  'carrier-billing:payments:create',
  'carrier-billing:payments:read',
  'carrier-billing:payments:write',
  'carrier-billing-refund:refunds:create',
  'carrier-billing-refund:refunds:read',
  'gift-certificates:read',
  'gift-certificates:redeem',
  'consents:write',
  'consents:read',
  'subscriptions:write',
  'subscriptions:read',
] as const;

/** A merchant to onboard, as the operator API and the CLI take it. */
export const newMerchantSchema = z.object({
  name: text(100),
  scopes: z.array(z.string().max(100)).max(20).optional(),
  oneStepPayments: z.boolean().optional(),
  validationMode: z.enum(['validate', 'open']).optional(),
  category: z.enum(MERCHANT_CATEGORIES).optional(),
  /** Optional cap on what the merchant may bill per day, in minor units of the gateway's currency. */
  dailyCapMinor: z.number().int().positive().max(1e12).optional(),
  /** Optional secret with which notifications to the merchant are signed (HMAC-SHA256). */
  notificationSecret: text(200)
    .refine((s) => s.length >= 16, 'must be at least 16 characters')
    .optional(),
});

export type NewMerchantInput = z.infer<typeof newMerchantSchema>;

/** The scopes asked for, when every one is known. */
export function knownScopes(scopes: string[]): string[] {
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw errors.invalidArgument(`Unknown scope(s): ${unknown.join(', ')}.`);
  return scopes;
}

export function merchantView(m: MerchantRecord, now: Date) {
  return {
    merchantId: m.id,
    name: m.name,
    clientId: m.client_id,
    scopes: m.scopes,
    oneStepPayments: m.one_step_payments,
    validationMode: m.validation_mode,
    completionMode: m.completion_mode,
    category: m.category,
    redirectUris: m.redirect_uris,
    ...(m.daily_cap_minor !== null ? { dailyCapMinor: Number(m.daily_cap_minor) } : {}),
    limits: limitsOf(m),
    disabled: m.disabled_at !== null,
    ...(m.disabled_at ? { disabledAt: m.disabled_at.toISOString() } : {}),
    ...(m.previous_secret_valid_until && m.previous_secret_valid_until > now
      ? { previousSecretValidUntil: m.previous_secret_valid_until.toISOString() }
      : {}),
    signsNotifications: m.notification_secret_encrypted !== null,
    createdAt: m.created_at.toISOString(),
  };
}

export type MerchantView = ReturnType<typeof merchantView>;
/** A merchant just onboarded: its view and the client secret, shown this once. */
export type OnboardedMerchant = MerchantView & { clientSecret: string };

/** Onboards a merchant; the client secret is returned here once and never stored in clear. */
export async function createMerchant(
  ctx: Context,
  by: OperatorPrincipal,
  input: NewMerchantInput,
): Promise<OnboardedMerchant> {
  requireAdmin(by);
  const scopes = knownScopes(input.scopes ?? [...ALL_SCOPES]);
  const clientSecret = randomBytes(32).toString('base64url');
  const id = randomId('mer_', 12);
  const merchant = await ctx.store.transaction(async (tx) => {
    const created = await tx.merchants.insert({
      id,
      name: input.name,
      client_id: randomId('cli_', 12),
      client_secret_hash: hashSecret(ctx.keys.clientSecrets, clientSecret),
      scopes,
      one_step_payments: input.oneStepPayments ?? false,
      validation_mode: input.validationMode ?? 'validate',
      category: input.category ?? 'other',
      daily_cap_minor: input.dailyCapMinor === undefined ? null : BigInt(input.dailyCapMinor),
      notification_secret_encrypted: input.notificationSecret
        ? encrypt(ctx.keys.merchantSecrets, input.notificationSecret, sealedAt.notificationSecret(id))
        : null,
    });
    await tx.audit.recordAction({
      actor: actorOf(by),
      event: 'merchant_created',
      merchantId: id,
      detail: { by: by.name, name: input.name, scopes },
    });
    return created;
  });
  return { ...merchantView(merchant, ctx.clock.now()), clientSecret };
}

export async function getMerchant(ctx: Context, merchantId: string) {
  const merchant = await ctx.store.merchants.find(merchantId);
  if (!merchant) throw errors.notFound('No such merchant.');
  return merchantView(merchant, ctx.clock.now());
}

export async function allMerchants(ctx: Context) {
  const now = ctx.clock.now();
  return (await ctx.store.merchants.list()).map((m) => merchantView(m, now));
}
