import { checkAgreementCode } from '../agreements/code.js';
import { errors } from '../../domain/errors.js';
import type { ConsentRecord } from '../../ports/store/consents.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { ownConsent } from './query.js';
import { consentView } from './view.js';

/** PostgreSQL's unique_violation: another consent of the merchant and number became active meanwhile. */
const UNIQUE_VIOLATION = '23505';

/**
 * The phone user's code for a consent, relayed by the merchant, with a payment code's rules: a
 * wrong one is counted and the last allowed wrong try denies the consent, as does a lapsed code.
 * A right one makes it active, ending the merchant's earlier consent for the number.
 */
export async function validateConsent(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'id'>,
  consentId: string,
  input: { authorizationId: string; code: string },
) {
  const consent = await ownConsent(ctx, merchant, consentId);
  const given = await checkAgreementCode(ctx, 'consent', merchant.id, consent, input, ctx.store.consents);
  const now = ctx.clock.now();
  const activated = await activate(ctx, consent, given, now);
  if (!activated) throw errors.alreadyExists('Consent has moved on.');
  return consentView(activated, now);
}

/** Ends the earlier consent and activates this one in one transaction; once more if another activation came in between. */
async function activate(ctx: Context, consent: ConsentRecord, code: Buffer, now: Date) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.store.transaction(async (tx) => {
        await tx.consents.endActive(consent.merchant_id, consent.phone_number, consent.id, now);
        return tx.consents.activate(consent.id, code, now);
      });
    } catch (error) {
      if (attempt > 0 || (error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    }
  }
}
