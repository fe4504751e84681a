import { z } from 'zod';
import { text } from './common.js';

/** A merchant to onboard, as the operator API and the CLI take it. */
export const newMerchantSchema = z.object({
  name: text(100),
  scopes: z.array(z.string().max(100)).max(20).optional(),
  oneStepPayments: z.boolean().optional(),
  validationMode: z.enum(['validate', 'open']).optional(),
  /** Daily billing cap in minor units of the gateway's currency. */
  dailyCapMinor: z.number().int().positive().max(1e12).optional(),
  /** Secret for the HMAC signature of notifications to this merchant. */
  notificationSecret: text(200)
    .refine((s) => s.length >= 16, 'must be at least 16 characters')
    .optional(),
});
