import { secretsEqual } from '../../domain/otp.js';
import { maskPhoneNumber, requireRealPhoneNumber } from '../../domain/phone.js';
import { readReply, type Reply } from '../../domain/sms-keywords.js';
import { ApiError } from '../../domain/errors.js';
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
  // A carrier speaks for its own subscribers only: one carrier's credentials must not block,
  // stop or limit another's numbers.
  const serving = await ctx.carriers.route(from);
  if (serving?.config.id !== sms.carrierId) {
    ctx.log.warn(
      { carrierId: sms.carrierId, phone: maskPhoneNumber(from) },
      'inbound SMS for a number of another carrier ignored',
    );
    return;
  }
  const reply = readReply(sms.text.slice(0, 300));
  let answer: string;
  try {
    answer = await act(ctx, from, reply, serving.config.monthlyLimitMinor);
  } catch (error) {
    // What the phone user wrote is never an error to the carrier: they get the keywords instead.
    if (!(error instanceof ApiError)) throw error;
    answer = replyTexts.help;
  }
  ctx.log.info({ carrierId: sms.carrierId, phone: maskPhoneNumber(from), reply: reply.kind }, 'phone user replied');
  // Answers are rationed per number (an auto-responder on the other end must not make a loop).
  if (!(await ctx.cache.take(`reply-answers:${from}`, 3600, ANSWERS_PER_NUMBER_PER_HOUR))) return;
  await textPhoneUser(ctx, sms.carrierId, from, answer, 'reply');
}

/** SMS answers to one number's replies an hour; past it the replies still act, unanswered. */
const ANSWERS_PER_NUMBER_PER_HOUR = 10;

async function act(ctx: Context, from: string, reply: Reply, carrierLimitMinor: number): Promise<string> {
  switch (reply.kind) {
    case 'stop': {
      const stopped = await stopEverything(ctx, from, reply.merchantName);
      return stopped.length > 0 ? replyTexts.stopped(stopped) : replyTexts.nothingToStop(reply.merchantName);
    }
    case 'block':
      return blockNumber(ctx, from);
    case 'unblock':
      return unblockNumber(ctx, from);
    case 'limit':
      return setOwnLimit(ctx, from, reply.amount, carrierLimitMinor);
    case 'help':
      return replyTexts.help;
  }
}
