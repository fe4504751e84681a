import { z } from 'zod';
import { E164_PATTERN } from '../../domain/phone.js';

/** CAMARA Carrier Billing v0.5 request bodies, as the OpenAPI file defines them (plus sane lengths). */

/** Text as people and systems write it: PostgreSQL cannot store NUL, and control characters help nobody. */
export const text = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
const phoneNumber = z.string().regex(E164_PATTERN, 'must be an E.164 number such as +821012345678');
const decimalAmount = z.number().positive().max(1e12);

const chargingInformation = z.object({
  amount: decimalAmount,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  description: text(160),
  isTaxIncluded: z.boolean().optional(),
  taxAmount: z.number().min(0).max(1e12).optional(),
});

const chargingMetaData = z.object({
  merchantName: text(100).optional(),
  merchantIdentifier: text(100).optional(),
  fee: z.number().min(0).max(100).optional(),
  purchaseCategoryCode: text(100).optional(),
  channel: text(100).optional(),
  serviceId: text(100).optional(),
  productId: text(100).optional(),
});

const paymentItem = z.object({
  id: text(100),
  amount: decimalAmount,
  currency: z.string().regex(/^[A-Z]{3}$/),
  description: text(160),
  isTaxIncluded: z.boolean().optional(),
  taxAmount: z.number().min(0).max(1e12).optional(),
});

const paymentAmount = z.object({
  chargingInformation,
  chargingMetaData: chargingMetaData.optional(),
  paymentDetails: z.array(paymentItem).min(1).max(100).optional(),
});

const amountTransaction = z.object({
  phoneNumber: phoneNumber.optional(),
  clientCorrelator: text(256).optional(),
  paymentAmount,
  referenceCode: text(128),
});

const sinkCredential = z.object({
  credentialType: z.enum(['PLAIN', 'ACCESSTOKEN', 'REFRESHTOKEN']),
  accessToken: text(4096).optional(),
  accessTokenExpiresUtc: z.iso.datetime({ offset: true }).optional(),
  accessTokenType: z.string().optional(),
});

export const paymentRequestSchema = z.object({
  amountTransaction,
  sink: z.string().url().max(2048).optional(),
  sinkCredential: sinkCredential.optional(),
});

export const validateSchema = z.object({
  authorizationId: text(128),
  code: z.string().max(32).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
});

export const phoneNumberBodySchema = z.object({ phoneNumber: phoneNumber.optional() });

const camaraStatus = z.enum(['processing', 'pending_validation', 'denied', 'reserved', 'succeeded', 'cancelled']);
const integer = z.string().regex(/^\d{1,6}$/, 'must be a positive integer').transform(Number).optional();
const dateTime = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time with time zone' }).transform((v) => new Date(v));
/** A query list: repeated parameters (`?s=a&s=b`) or comma-separated (`?s=a,b`). */
const commaList = (value: unknown) => (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));

export const paymentQuerySchema = z.object({
  page: integer,
  perPage: integer,
  'paymentCreationDate.gte': dateTime.optional(),
  'paymentCreationDate.lte': dateTime.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  paymentStatus: z.preprocess(commaList, z.array(camaraStatus)).optional(),
  merchantIdentifier: text(100).optional(),
});
