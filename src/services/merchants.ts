import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { errors } from '../domain/errors.js';
import type { Queryable } from '../store/database.js';
import {
  findMerchant,
  insertMerchant,
  listMerchants,
  updateMerchantSecret,
  type MerchantRow,
} from '../store/merchants-repo.js';
import { deleteMerchantTokens } from '../store/tokens-repo.js';
import { encrypt, randomId } from './keys.js';

export const ALL_SCOPES = [
  'carrier-billing:payments:create',
  'carrier-billing:payments:read',
  'carrier-billing:payments:write',
  'carrier-billing-refund:refunds:create',
  'carrier-billing-refund:refunds:read',
  'gift-certificates:read',
  'gift-certificates:redeem',
] as const;

export interface NewMerchantInput {
  name: string;
  scopes?: string[];
  oneStepPayments?: boolean;
  validationMode?: 'validate' | 'open';
  /** Optional cap on what the merchant may bill per day, in minor units. */
  dailyCapMinor?: number;
  /** Optional secret with which notifications to the merchant are signed (HMAC-SHA256). */
  notificationSecret?: string;
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A slow, salted hash: `scrypt$N$r$p$salt$hash`. Client secrets are kept only in this form. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

export function merchantView(m: MerchantRow) {
  return {
    merchantId: m.id,
    name: m.name,
    clientId: m.client_id,
    scopes: m.scopes,
    oneStepPayments: m.one_step_payments,
    validationMode: m.validation_mode,
    ...(m.daily_cap_minor !== null ? { dailyCapMinor: Number(m.daily_cap_minor) } : {}),
    signsNotifications: m.notification_secret_encrypted !== null,
    createdAt: m.created_at.toISOString(),
  };
}

export type MerchantView = ReturnType<typeof merchantView>;
/** A merchant just onboarded: its view and the client secret, shown this once. */
export type OnboardedMerchant = MerchantView & { clientSecret: string };

/** Onboards a merchant; the client secret is returned here once and never stored in clear. */
export async function createMerchant(db: Queryable, input: NewMerchantInput, secretsKey?: Buffer) {
  const scopes = input.scopes ?? [...ALL_SCOPES];
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw errors.invalidArgument(`Unknown scope(s): ${unknown.join(', ')}.`);
  const clientSecret = randomBytes(32).toString('base64url');
  const merchant = await insertMerchant(db, {
    id: randomId('mer_', 12),
    name: input.name,
    client_id: randomId('cli_', 12),
    client_secret_hash: await hashSecret(clientSecret),
    scopes,
    one_step_payments: input.oneStepPayments ?? false,
    validation_mode: input.validationMode ?? 'validate',
    daily_cap_minor: input.dailyCapMinor === undefined ? null : BigInt(input.dailyCapMinor),
    notification_secret_encrypted:
      input.notificationSecret && secretsKey ? encrypt(secretsKey, input.notificationSecret) : null,
  });
  return { ...merchantView(merchant), clientSecret };
}

/** Issues a new client secret; the old one and every token issued with it stop working. Returned once. */
export async function rotateClientSecret(db: Queryable, merchantId: string): Promise<string> {
  const clientSecret = randomBytes(32).toString('base64url');
  await updateMerchantSecret(db, merchantId, await hashSecret(clientSecret));
  await deleteMerchantTokens(db, merchantId);
  return clientSecret;
}

export async function getMerchant(db: Queryable, merchantId: string) {
  const merchant = await findMerchant(db, merchantId);
  if (!merchant) throw errors.notFound('No such merchant.');
  return merchantView(merchant);
}

export async function allMerchants(db: Queryable) {
  return (await listMerchants(db)).map(merchantView);
}
