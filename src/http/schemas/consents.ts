import { z } from 'zod';
import { E164_PATTERN } from '../../domain/phone.js';
import { text } from '../../services/input.js';
import { currency, dateTime, decimalAmount, sink, sinkCredential } from './common.js';

const money = z.object({ amount: decimalAmount, currency }).strict();

/** CONTRACTS §6: a standing consent to ask a phone user for. */
export const consentRequestSchema = z
  .object({
    phoneNumber: z.string().regex(E164_PATTERN, 'must be an E.164 number such as +821012345678'),
    description: text(100),
    maxAmountPerCharge: money,
    maxAmountPerMonth: money.optional(),
    expiresAt: dateTime.optional(),
    sink: sink.optional(),
    sinkCredential: sinkCredential.optional(),
  })
  .strict();

export const consentQuerySchema = z.object({
  phoneNumber: z.string().regex(E164_PATTERN).optional(),
  status: z.enum(['pending_validation', 'active', 'revoked', 'expired', 'denied']).optional(),
});

/** CONTRACTS §6: a subscription to ask a phone user for. */
export const subscriptionRequestSchema = z
  .object({
    phoneNumber: z.string().regex(E164_PATTERN, 'must be an E.164 number such as +821012345678'),
    description: text(100),
    amount: money,
    period: z.enum(['P1M', 'P1W'], { error: 'must be P1M or P1W' }),
    sink: sink.optional(),
    sinkCredential: sinkCredential.optional(),
  })
  .strict();

export const subscriptionQuerySchema = z.object({ phoneNumber: z.string().regex(E164_PATTERN).optional() });
export const cancellationSchema = z.object({ at: z.enum(['period_end']).optional() });
