import { createHttpExchange, failureCode, type HttpReply } from '../http-exchange.js';
import type { OneapiCarrierConfig } from '../../config/schema.js';
import type { CarrierAdapter, CarrierCredentials, CarrierOutcome } from '../../src/ports/carrier.js';
import {
  amountTransaction,
  classifyFailure,
  transactionStatusOf,
  endUserId,
  idFromResourceUrl,
  reservationLookupOf,
  reservationTransaction,
} from './mapping.js';

type Operation = keyof OneapiCarrierConfig['timeoutsMs'];

/**
 * GSMA OneAPI Payment and SMS over REST for one carrier, over keep-alive connections; every call
 * has the operation's timeout from the configuration.
 */
export async function createOneapiAdapter(
  carrier: OneapiCarrierConfig,
  credentials: CarrierCredentials = {},
): Promise<CarrierAdapter> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (credentials.username && credentials.password) {
    headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  const http = createHttpExchange();
  const user = (phoneNumber: string) => `${carrier.endpoints.payment}/${encodeURIComponent(endUserId(phoneNumber))}`;

  async function call(
    operation: Operation,
    method: 'GET' | 'POST',
    url: string,
    body?: object,
  ): Promise<CarrierOutcome<unknown>> {
    let reply: HttpReply;
    try {
      reply = await http.exchange(url, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        timeoutMs: carrier.timeoutsMs[operation],
      });
    } catch (error) {
      return classifyFailure({ code: failureCode(error) });
    }
    let json: unknown;
    try {
      json = reply.body ? JSON.parse(reply.body) : undefined;
    } catch {
      json = undefined;
    }
    if (reply.status >= 200 && reply.status < 300) {
      if (reply.body && json === undefined) return { kind: 'unknown', detail: 'garbled reply' };
      return { kind: 'succeeded', value: json };
    }
    return classifyFailure({ status: reply.status, body: json });
  }

  const done = (outcome: CarrierOutcome<unknown>): CarrierOutcome =>
    outcome.kind === 'succeeded' ? { kind: 'succeeded', value: undefined } : outcome;

  return {
    carrierId: carrier.id,
    async reserveAmount(r) {
      const outcome = await call(
        'reserveAmount',
        'POST',
        `${user(r.phoneNumber)}/transactions/amountReservation`,
        reservationTransaction(r, 'Reserved'),
      );
      if (outcome.kind !== 'succeeded') return outcome;
      const transaction = (outcome.value as { amountReservationTransaction?: { resourceURL?: unknown } } | undefined)
        ?.amountReservationTransaction;
      const reservationId = idFromResourceUrl(transaction?.resourceURL);
      return reservationId
        ? { kind: 'succeeded', value: { reservationId } }
        : { kind: 'unknown', detail: 'reply without resourceURL' };
    },
    async chargeReservation(r) {
      const url = `${user(r.phoneNumber)}/transactions/amountReservation/${encodeURIComponent(r.reservationId)}`;
      return done(await call('chargeReservation', 'POST', url, reservationTransaction(r, 'Charged')));
    },
    async releaseReservation({ reservationId, phoneNumber }) {
      const url = `${user(phoneNumber)}/transactions/amountReservation/${encodeURIComponent(reservationId)}`;
      const body = {
        amountReservationTransaction: { endUserId: endUserId(phoneNumber), transactionOperationStatus: 'Released' },
      };
      return done(await call('releaseReservation', 'POST', url, body));
    },
    async chargeAmount(r) {
      return done(
        await call(
          'chargeAmount',
          'POST',
          `${user(r.phoneNumber)}/transactions/amount`,
          amountTransaction(r, 'Charged'),
        ),
      );
    },
    async refundAmount(r) {
      return done(
        await call(
          'refundAmount',
          'POST',
          `${user(r.phoneNumber)}/transactions/amount`,
          amountTransaction(r, 'Refunded'),
        ),
      );
    },
    async queryTransaction({ reference, phoneNumber, kind }) {
      const outcome = await call(
        'statusQuery',
        'GET',
        `${user(phoneNumber)}/transactions/amount?clientCorrelator=${encodeURIComponent(reference)}`,
      );
      return outcome.kind === 'succeeded'
        ? transactionStatusOf(outcome.value, kind === 'charge' ? 'Charged' : 'Refunded')
        : 'unknown';
    },
    async findReservation({ reference, phoneNumber }) {
      const outcome = await call(
        'statusQuery',
        'GET',
        `${user(phoneNumber)}/transactions/amountReservation?clientCorrelator=${encodeURIComponent(reference)}`,
      );
      return outcome.kind === 'succeeded' ? reservationLookupOf(outcome.value, reference) : { kind: 'unknown' };
    },
    async sendSms(r) {
      const sender = `tel:${r.senderName}`;
      const body = {
        outboundSMSMessageRequest: {
          address: [endUserId(r.phoneNumber)],
          senderAddress: sender,
          senderName: r.senderName,
          outboundSMSTextMessage: { message: r.text },
        },
      };
      const outcome = await call(
        'sendSms',
        'POST',
        `${carrier.endpoints.sms}/outbound/${encodeURIComponent(sender)}/requests`,
        body,
      );
      if (outcome.kind !== 'succeeded') return outcome;
      const messageId = idFromResourceUrl(
        (outcome.value as { outboundSMSMessageRequest?: { resourceURL?: unknown } } | undefined)
          ?.outboundSMSMessageRequest?.resourceURL,
      );
      return messageId
        ? { kind: 'succeeded', value: { messageId } }
        : { kind: 'unknown', detail: 'reply without resourceURL' };
    },
    async close() {
      http.close();
    },
  };
}
