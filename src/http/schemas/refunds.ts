import { z } from 'zod';
import { text } from './payments.js';

/** CAMARA Carrier Billing Refund v0.3 request bodies and queries. */

const chargingInformation = z.object({
  amount: z.number().positive().max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  description: text(160),
  isTaxIncluded: z.boolean().optional(),
  taxAmount: z.number().min(0).max(1e12).optional(),
});

const chargingMetaData = z.record(z.string().max(40), z.union([text(100), z.number()])).optional();

const refundItem = z.object({ paymentItemId: text(100), amount: z.number().positive().max(1e12), currency: z.string().regex(/^[A-Z]{3}$/), description: text(160) });

const amountTransaction = z.object({
  clientCorrelator: text(256).optional(),
  referenceCode: text(128),
  refundAmount: z.object({
    chargingInformation: chargingInformation.optional(),
    chargingMetaData,
    refundDetails: z.array(refundItem).min(1).max(100).optional(),
  }),
});

const sinkCredential = z.object({
  credentialType: z.enum(['PLAIN', 'ACCESSTOKEN', 'REFRESHTOKEN']),
  accessToken: text(4096).optional(),
  accessTokenExpiresUtc: z.iso.datetime({ offset: true }).optional(),
  accessTokenType: z.string().optional(),
});

export const refundRequestSchema = z.object({
  type: z.enum(['total', 'partial']),
  reason: text(500).optional(),
  amountTransaction,
  sink: z.string().url().max(2048).optional(),
  sinkCredential: sinkCredential.optional(),
});

const integer = z.string().regex(/^\d{1,6}$/, 'must be a positive integer').transform(Number).optional();
const dateTime = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time with time zone' }).transform((v) => new Date(v));
const commaList = (value: unknown) => (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));

export const refundQuerySchema = z.object({
  page: integer,
  perPage: integer,
  'refundCreationDate.gte': dateTime.optional(),
  'refundCreationDate.lte': dateTime.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  refundStatus: z.preprocess(commaList, z.array(z.enum(['processing', 'denied', 'succeeded']))).optional(),
  merchantIdentifier: text(100).optional(),
});
