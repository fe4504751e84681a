import { randomBytes } from 'node:crypto';
import { errors } from '../../domain/errors.js';
import { newOtpCode, secretsEqual } from '../../domain/otp.js';
import { textPhoneUser } from '../carriers/sms.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { encrypt, keyedDigest, randomId, sealedAt } from '../keys.js';
import { reserveCodeSend } from '../payments/send-allowance.js';
import { admitValidation, recordValidation } from '../payments/guessing-watch.js';

/** What a phone user agrees to once by SMS code: a standing consent or a subscription. */
export type AgreementKind = 'consent' | 'subscription';

/** The only form in which an agreement's code is kept: a keyed digest bound to the agreement. */
export function agreementCodeDigest(ctx: Context, kind: AgreementKind, id: string, code: string): Buffer {
  return keyedDigest(ctx.keys.otp, `${kind}:${id}:${code}`);
}

interface PendingAgreement {
  id: string;
  status: string;
  authorization_id: string;
  otp_digest: Buffer | null;
  code_deadline_at: Date | null;
}

/**
 * The phone user's code for an agreement, relayed by its merchant, with a payment code's rules: a
 * wrong one is counted (and watched per merchant), the last allowed wrong try or a lapsed code
 * denies the agreement. Answers the right code's digest, which its activation must still find.
 */
export async function checkAgreementCode(
  ctx: Context,
  kind: AgreementKind,
  merchantId: string,
  agreement: PendingAgreement,
  input: { authorizationId: string; code: string },
  store: {
    deny(id: string): Promise<unknown>;
    recordWrongCode(id: string, maxAttempts: number): Promise<number | undefined>;
  },
): Promise<Buffer> {
  const noun = kind === 'consent' ? 'Consent' : 'Subscription';
  if (agreement.status !== 'pending_validation')
    throw agreement.status === 'denied'
      ? errors.validationFailed(`${noun} has been denied.`)
      : errors.alreadyExists(`${noun} is ${agreement.status}.`);
  if (!secretsEqual(input.authorizationId, agreement.authorization_id)) throw errors.invalidAuthorizationId();
  const now = ctx.clock.now();
  if ((agreement.code_deadline_at ?? now) <= now) {
    await store.deny(agreement.id);
    throw errors.validationFailed('The validation code has expired.');
  }
  await admitValidation(ctx, merchantId);
  const given = agreementCodeDigest(ctx, kind, agreement.id, input.code.trim());
  if (!secretsEqual(given, agreement.otp_digest ?? Buffer.alloc(0))) {
    await recordValidation(ctx, merchantId, 'wrong');
    const max = ctx.config.otp.maxAttempts;
    const failures = await store.recordWrongCode(agreement.id, max);
    if (failures === undefined || failures >= max) throw errors.validationFailed();
    throw errors.invalidCode(`Invalid code. ${max - failures} attempt(s) left.`);
  }
  await recordValidation(ctx, merchantId, 'right');
  return given;
}

/** What every agreement stores of its code and sink, as `openAgreement` makes them. */
export interface AgreementOpening {
  id: string;
  authorization_id: string;
  otp_digest: Buffer;
  code_deadline_at: Date;
  sink: string | null;
  sink_credential_encrypted: string | null;
  created_at: Date;
}

/**
 * Opens an agreement: a code send reserved against the number's and merchant's SMS limits (429
 * when spent), the agreement written by `write` (the send given back if that fails), and the code
 * texted in the words of `textOf`. Nothing is written or texted when a limit says no.
 */
export async function openAgreement<T>(
  ctx: Context,
  kind: AgreementKind,
  merchant: Pick<MerchantPrincipal, 'id' | 'limits'>,
  to: { phoneNumber: string; carrierId: string; sink?: string; sinkCredential?: unknown },
  write: (opening: AgreementOpening) => Promise<T>,
  textOf: (code: string, validMinutes: number) => string,
): Promise<T> {
  const send = await reserveCodeSend(ctx, to.phoneNumber, merchant);
  if (!send) throw errors.tooManyRequests('Too many codes sent to this phone number; try again later.', 3600);
  const id = randomId(kind === 'consent' ? 'con_' : 'sub_');
  const code = newOtpCode();
  const ttl = ctx.config.otp.ttlSeconds;
  const now = ctx.clock.now();
  let agreement: T;
  try {
    agreement = await write({
      id,
      authorization_id: randomBytes(16).toString('base64url'),
      otp_digest: agreementCodeDigest(ctx, kind, id, code),
      code_deadline_at: new Date(now.getTime() + ttl * 1000),
      sink: to.sink ?? null,
      sink_credential_encrypted:
        to.sink && to.sinkCredential
          ? encrypt(ctx.keys.merchantSecrets, JSON.stringify(to.sinkCredential), sealedAt.sinkCredential(id))
          : null,
      created_at: now,
    });
  } catch (error) {
    await send.giveBack();
    throw error;
  }
  const text = textOf(code, Math.max(1, Math.round(ttl / 60)));
  await textPhoneUser(ctx, to.carrierId, to.phoneNumber, text, `${kind}_code`, { [`${kind}Id`]: id });
  return agreement;
}
