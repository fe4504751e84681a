import { secretsEqual } from '../../domain/otp.js';
import { maskPhoneNumber, requireRealPhoneNumber } from '../../domain/phone.js';
import { readReply } from '../../domain/sms-keywords.js';
import { replyTexts } from '../../domain/sms-texts.js';
import type { InboundSms } from '../../ports/inbound-sms.js';
import { textPhoneUser } from '../carriers/sms.js';
import type { Context } from '../context.js';
import { blockNumber, setOwnLimit, stopEverything, unblockNumber } from './controls.js';

/** Whether a carrier's delivery presents its configured credentials (user: the carrier's id). */
export function carrierPresented(ctx: Context, carrierId: string, username: string, password: string): boolean {
  const secret = ctx.carriers.get(carrierId)?.inboundSecret;
  return secret !== undefined && username === carrierId && secretsEqual(password, secret);
}

/**
 * A phone user's SMS reply, delivered by their carrier: `STOP`, `BLOCK`, `UNBLOCK` or `LIMIT`
 * (CONTRACTS §7) acted on, and answered by SMS through the same carrier; anything else is
 * answered with the keywords. Nothing the user writes is an error to the carrier.
 */
export async function receiveReply(ctx: Context, sms: InboundSms): Promise<void> {
  let from: string;
  try {
    from = requireRealPhoneNumber(sms.from);
  } catch {
    ctx.log.warn({ carrierId: sms.carrierId }, 'inbound SMS from no real number ignored');
    return;
  }
  const reply = readReply(sms.text.slice(0, 300));
  const carrier = ctx.carriers.get(sms.carrierId);
  let answer: string;
  switch (reply.kind) {
    case 'stop': {
      const stopped = await stopEverything(ctx, from, reply.merchantName);
      answer = stopped.length > 0 ? replyTexts.stopped(stopped) : replyTexts.nothingToStop(reply.merchantName);
      break;
    }
    case 'block':
      answer = await blockNumber(ctx, from);
      break;
    case 'unblock':
      answer = await unblockNumber(ctx, from);
      break;
    case 'limit':
      answer = await setOwnLimit(ctx, from, reply.amount, carrier?.config.monthlyLimitMinor ?? Number.MAX_SAFE_INTEGER);
      break;
    case 'help':
      answer = replyTexts.help;
      break;
  }
  ctx.log.info({ carrierId: sms.carrierId, phone: maskPhoneNumber(from), reply: reply.kind }, 'phone user replied');
  await textPhoneUser(ctx, sms.carrierId, from, answer, 'reply');
}
