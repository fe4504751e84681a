import { z } from 'zod';
import {
  chargingInformation,
  chargingMetaData,
  commaList,
  currency,
  dateTime,
  decimalAmount,
  pageNumber,
  sink,
  sinkCredential,
} from './common.js';
import { text } from '../../services/input.js';

/** CAMARA Carrier Billing Refund v0.3 request bodies and queries. */

const refundItem = z.object({ paymentItemId: text(100), amount: decimalAmount, currency, description: text(160) });

const amountTransaction = z.object({
  clientCorrelator: text(256).optional(),
  referenceCode: text(128),
  refundAmount: z.object({
    chargingInformation: chargingInformation.optional(),
    chargingMetaData: chargingMetaData.optional(),
    refundDetails: z.array(refundItem).min(1).max(100).optional(),
  }),
});

export const refundRequestSchema = z.object({
  type: z.enum(['total', 'partial']),
  reason: text(500).optional(),
  amountTransaction,
  sink: sink.optional(),
  sinkCredential: sinkCredential.optional(),
});

export const refundQuerySchema = z.object({
  page: pageNumber,
  perPage: pageNumber,
  'refundCreationDate.gte': dateTime.optional(),
  'refundCreationDate.lte': dateTime.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  refundStatus: commaList(z.enum(['processing', 'denied', 'succeeded'])).optional(),
  merchantIdentifier: text(100).optional(),
});
