import { z } from 'zod';
import { text } from '../../services/input.js';

/** Building blocks shared by the CAMARA payment and refund schemas. */

export const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
export const decimalAmount = z.number().positive().max(1e12);

export const chargingInformation = z.object({
  amount: decimalAmount,
  currency,
  description: text(160),
  isTaxIncluded: z.boolean().optional(),
  taxAmount: z.number().min(0).max(1e12).optional(),
});

export const chargingMetaData = z.object({
  merchantName: text(100).optional(),
  merchantIdentifier: text(100).optional(),
  fee: z.number().min(0).max(100).optional(),
  purchaseCategoryCode: text(100).optional(),
  channel: text(100).optional(),
  serviceId: text(100).optional(),
  productId: text(100).optional(),
});

export const sinkCredential = z.object({
  credentialType: z.enum(['PLAIN', 'ACCESSTOKEN', 'REFRESHTOKEN']),
  accessToken: text(4096).optional(),
  accessTokenExpiresUtc: z.iso.datetime({ offset: true }).optional(),
  accessTokenType: z.string().optional(),
});

/** A URL checked by requireValidSink, so that a sink that is no URL answers CAMARA's INVALID_SINK. */
export const sink = text(2048);

/** Query parameters. */
export const pageNumber = z
  .string()
  .regex(/^\d{1,6}$/, 'must be a positive integer')
  .transform(Number)
  .optional();
export const dateTime = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 date-time with time zone' })
  .transform((v) => new Date(v));

/** A query list: repeated parameters (`?s=a&s=b`) or comma-separated (`?s=a,b`). */
export const commaList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value: unknown) =>
      (Array.isArray(value) ? (value as unknown[]) : [value]).flatMap((v) =>
        typeof v === 'string' ? v.split(',') : [v],
      ),
    z.array(item),
  );
