import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const parlayxCarrier = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  name: z.string().min(1),
  protocol: z.literal('parlayx'),
  /** E.164 prefixes this carrier serves; the longest matching prefix wins. */
  prefixes: z.array(z.string().regex(/^\+[0-9]{1,14}$/)).min(1),
  /** SOAP endpoints; `{simulatorUrl}` is replaced by the in-process simulator's address. */
  endpoints: z.object({
    amountCharging: z.string().min(1),
    reserveAmountCharging: z.string().min(1),
    sendSms: z.string().min(1),
  }),
  smsSenderName: z.string().min(1).max(11),
  timeoutsMs: z.object({
    reserveAmount: positiveInt,
    chargeReservation: positiveInt,
    releaseReservation: positiveInt,
    chargeAmount: positiveInt,
    sendSms: positiveInt,
  }),
  retry: z.object({ attempts: z.number().int().min(1).max(10), backoffMs: z.number().int().min(0) }),
});

export const configSchema = z.object({
  env: z.enum(['demo', 'test', 'production']),
  port,
  bodyLimit: z.string().default('32kb'),
  databaseUrl: z.string().url().optional(),
  dataDir: z.string().min(1),
  redisUrl: z.string().url().optional(),
  /** Prefix of every Redis key, so several gateways (or test runs) can share one Redis. */
  redisPrefix: z.string().min(1).max(50),
  operatorToken: z.string().min(24).optional(),
  /** Root of every key the gateway derives (OTP HMAC, token hashes, gift-code encryption); ≥ 32 bytes hex. */
  masterKey: z.string().regex(/^[0-9a-fA-F]{64,}$/, 'must be at least 64 hex characters').optional(),
  tokenTtlSeconds: positiveInt,
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  simulator: z.object({ enabled: z.boolean(), port }),
  currencies: z.array(z.string().regex(/^[A-Z]{3}$/)).min(1),
  otp: z.object({
    ttlSeconds: positiveInt,
    maxAttempts: positiveInt,
    maxSends: positiveInt,
    resendCooldownSeconds: z.number().int().min(0),
    sendsPerPhonePerHour: positiveInt,
  }),
  payments: z.object({
    reservedTtlSeconds: positiveInt,
    /** node-cron expression (with seconds) of the expiry job. */
    expirySchedule: z.string().min(1),
  }),
  giftCertificates: z.object({ validityDays: positiveInt }),
  carriers: z.array(parlayxCarrier),
});

export type GatewayConfig = z.infer<typeof configSchema>;
export type CarrierConfig = GatewayConfig['carriers'][number];
