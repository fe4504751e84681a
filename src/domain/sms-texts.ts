import { formatForPeople } from './money.js';

/** The texts phone users receive. The consent text is the evidence of what they agreed to. */

export interface ConsentSms {
  merchantName: string;
  amountMinor: bigint;
  currency: string;
  description: string;
  code: string;
  validMinutes: number;
}

export function consentText(s: ConsentSms): string {
  const amount = formatForPeople(s.amountMinor, s.currency);
  return (
    `${s.merchantName} asks to bill ${amount} to your phone bill for ${s.description}. ` +
    `Code: ${s.code}. Valid ${s.validMinutes} minutes.`
  );
}

export interface CertificateSms {
  merchantName: string;
  amountMinor: bigint;
  currency: string;
  code: string;
  expiresAt: Date;
}

export function certificateText(s: CertificateSms): string {
  const amount = formatForPeople(s.amountMinor, s.currency);
  return `${s.merchantName}: your gift certificate for ${amount} is ${s.code}. Valid until ${s.expiresAt.toISOString().slice(0, 10)}.`;
}

/** The same text with a secret replaced, for the audit trail (which must never hold a usable code). */
export function redact(text: string, secret: string): string {
  return text.split(secret).join('*'.repeat(secret.length));
}

export interface ApprovalSms {
  merchantName: string;
  /** What the merchant may do, in words. */
  abilities: string[];
  code: string;
  /** The approval page (CIBA); none when the phone user is on it already (the authorization code flow). */
  link?: string;
  validMinutes: number;
}

/** The SMS of a three-legged authorization: who asks to do what, the code, and where to answer. */
export function approvalText(s: ApprovalSms): string {
  const where = s.link ? `Approve or refuse at ${s.link}` : 'Enter it on the page that asked for it';
  return (
    `${s.merchantName} asks to use your phone number to ${s.abilities.join(', ')}. ` +
    `Code: ${s.code}. ${where} (valid ${s.validMinutes} minutes). Never share this code.`
  );
}

export interface ConsentAgreementSms {
  merchantName: string;
  description: string;
  caps: string;
  code: string;
  validMinutes: number;
}

/** The SMS that asks for a standing consent: who, for what, within which caps, and the code. */
export function consentAgreementText(s: ConsentAgreementSms): string {
  return (
    `${s.merchantName} asks to charge your phone bill for ${s.description} without a code each time, ` +
    `${s.caps}. Code: ${s.code}. Valid ${s.validMinutes} minutes. Never share this code.`
  );
}

/** What a charge under a standing consent or a subscription adds to its SMS: that it was one, and how to stop. */
export function consentReceiptLine(stopPage: string): string {
  return ` Charged under your standing consent or subscription: reply STOP to end it, or visit ${stopPage}.`;
}

/** The gateway's answers to a phone user's SMS reply (CONTRACTS §7). */
export const replyTexts = {
  stopped: (merchants: string[]) =>
    `Stopped: ${merchants.join(', ')} can no longer charge your phone bill without asking you again.`,
  nothingToStop: (merchantName?: string) =>
    merchantName
      ? `Nothing to stop: no merchant named "${merchantName}" may charge your phone bill without asking.`
      : 'Nothing to stop: no merchant may charge your phone bill without asking you.',
  blocked: (coolingOffHours: number) =>
    `Carrier billing is now blocked on your number at every merchant. Reply UNBLOCK to lift it (after ${coolingOffHours} hours).`,
  unblockAt: (at: Date) =>
    `Your carrier billing block will be lifted at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  notBlocked: 'Carrier billing is not blocked on your number.',
  limitNow: (amount: string) => `Your own monthly carrier-billing limit is now ${amount}.`,
  limitAt: (amount: string, at: Date) =>
    `Your own monthly carrier-billing limit will be ${amount} from ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  help: "Reply STOP to end merchants' standing charges, BLOCK to block carrier billing, UNBLOCK to lift a block, LIMIT <amount> to set your own monthly limit.",
} as const;

/** The code that signs a phone user in to their self-service page. */
export function selfServiceCodeText(code: string, validMinutes: number): string {
  return `Signing in to your carrier-billing page. Code: ${code}. Valid ${validMinutes} minutes. Never share this code.`;
}

export interface SubscriptionSms {
  merchantName: string;
  description: string;
  amount: string;
  every: 'month' | 'week';
}

/** The SMS that asks for a subscription: who, what, how much and how often, and the code. */
export function subscriptionAgreementText(s: SubscriptionSms & { code: string; validMinutes: number }): string {
  return (
    `${s.merchantName} asks to charge your phone bill ${s.amount} every ${s.every} for ${s.description}, the first ` +
    `time now. Code: ${s.code}. Valid ${s.validMinutes} minutes. Never share this code.`
  );
}

/** A few days before a renewal: what will be charged when, and how to stop it. */
export function renewalReminderText(s: SubscriptionSms & { on: string; stopPage: string }): string {
  return (
    `${s.merchantName} will charge ${s.amount} to your phone bill on ${s.on} for ${s.description}. ` +
    `Reply STOP to cancel, or visit ${s.stopPage}.`
  );
}
