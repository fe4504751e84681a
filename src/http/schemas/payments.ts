import { z } from 'zod';
import { descriptionProblem, normaliseDescription } from '../../domain/billing-text.js';
import { E164_PATTERN } from '../../domain/phone.js';
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
import { NO_CONTROL_CHARACTERS, text } from '../../services/input.js';

/** CAMARA Carrier Billing v0.5 request bodies, as the OpenAPI file defines them (plus sane lengths). */

const phoneNumber = z.string().regex(E164_PATTERN, 'must be an E.164 number such as +821012345678');

const paymentItem = z.object({
  id: text(100),
  amount: decimalAmount,
  currency,
  description: text(160),
  isTaxIncluded: z.boolean().optional(),
  taxAmount: z.number().min(0).max(1e12).optional(),
});

/**
 * What the phone user is asked to pay for goes into the consent SMS under the carrier's name: a
 * short product name only (domain/billing-text.ts), refused with the reason otherwise.
 */
const billedDescription = z
  .string()
  .max(1000)
  .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
  .transform(normaliseDescription)
  .superRefine((description, issues) => {
    const problem = descriptionProblem(description);
    if (problem) issues.addIssue({ code: 'custom', message: problem });
  });

const paymentAmount = z.object({
  chargingInformation: chargingInformation.extend({ description: billedDescription }),
  chargingMetaData: chargingMetaData.optional(),
  paymentDetails: z.array(paymentItem).min(1).max(100).optional(),
});

const amountTransaction = z.object({
  phoneNumber: phoneNumber.optional(),
  clientCorrelator: text(256).optional(),
  paymentAmount,
  referenceCode: text(128),
});

export const paymentRequestSchema = z.object({
  amountTransaction,
  sink: sink.optional(),
  sinkCredential: sinkCredential.optional(),
});

export const validateSchema = z.object({
  authorizationId: text(128),
  code: z.string().max(32).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'),
});

export const phoneNumberBodySchema = z.object({ phoneNumber: phoneNumber.optional() });

const camaraStatus = z.enum(['processing', 'pending_validation', 'denied', 'reserved', 'succeeded', 'cancelled']);
export const paymentQuerySchema = z.object({
  page: pageNumber,
  perPage: pageNumber,
  'paymentCreationDate.gte': dateTime.optional(),
  'paymentCreationDate.lte': dateTime.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  paymentStatus: commaList(camaraStatus).optional(),
  merchantIdentifier: text(100).optional(),
});
