import type { Context, MerchantPrincipal } from '../context.js';

/**
 * Payment codes and three-legged approval codes are counted apart, so that asking a number for an
 * approval (which anyone may start from the hosted sign-in page) never uses up its payment codes.
 */
export type CodePurpose = 'payment' | 'approval' | 'sign_in';
const PREFIX: Readonly<Record<CodePurpose, string>> = {
  payment: 'otp-sends',
  approval: 'approval-sends',
  sign_in: 'self-service-sends',
};
const phoneKey = (purpose: CodePurpose, phoneNumber: string) => `${PREFIX[purpose]}:${phoneNumber}`;
const merchantKey = (purpose: CodePurpose, merchantId: string) => `${PREFIX[purpose]}-merchant:${merchantId}`;

/** A code send reserved against both limits; given back when no code goes out after all. */
export interface CodeSend {
  giveBack(): Promise<void>;
}

/**
 * SMS-pumping guards: a phone number receives at most `sendsPerPhonePerHour` codes an hour,
 * whichever merchant asks, and a merchant has at most `codesPerMerchantPerMinute` codes sent a
 * minute. A send is reserved before anything is written or texted, atomically, so concurrent
 * requests cannot all pass a check made before any of them counted; undefined when a limit is
 * reached (nothing is kept of the attempt).
 */
export async function reserveCodeSend(
  ctx: Context,
  phoneNumber: string,
  merchant: Pick<MerchantPrincipal, 'id' | 'limits'>,
  purpose: CodePurpose = 'payment',
): Promise<CodeSend | undefined> {
  const phone = phoneKey(purpose, phoneNumber);
  const ofMerchant = merchantKey(purpose, merchant.id);
  const [phoneSlot, merchantSlot] = await Promise.all([
    ctx.cache.take(phone, 3600, ctx.config.otp.sendsPerPhonePerHour),
    ctx.cache.take(ofMerchant, 60, merchant.limits.codesPerMinute ?? ctx.config.limits.codesPerMerchantPerMinute),
  ]);
  const giveBack = async () => {
    await Promise.all([phoneSlot && ctx.cache.giveBack(phoneSlot), merchantSlot && ctx.cache.giveBack(merchantSlot)]);
  };
  if (phoneSlot && merchantSlot) return { giveBack };
  await giveBack();
  return undefined;
}
