import { fileURLToPath } from 'node:url';
import * as soap from 'soap';
import type { ParlayxCarrierConfig } from '../../config/schema.js';
import type { CarrierAdapter, CarrierCredentials, CarrierOutcome, ChargeRequest } from '../../src/ports/carrier.js';
import { failureCode } from '../http-exchange.js';
import { chargingInformation, classifyFailure, endUserIdentifier } from './mapping.js';
import { createSoapTransport, type SoapReply } from './soap-transport.js';

const WSDL_DIR = fileURLToPath(new URL('./wsdl/', import.meta.url));

type SoapCall = (args: object, options: { timeout: number }) => Promise<[unknown, ...unknown[]]>;
type Operation = Exclude<keyof ParlayxCarrierConfig['timeoutsMs'], 'statusQuery'>;

/**
 * Parlay X 2.1 Payment and 2.2 SendSms over SOAP for one carrier. The three SOAP clients are built
 * once from the project's WSDLs and share one transport over keep-alive connections.
 */
export async function createParlayxAdapter(
  carrier: ParlayxCarrierConfig,
  credentials: CarrierCredentials = {},
): Promise<CarrierAdapter> {
  const transport = createSoapTransport(Math.max(...Object.values(carrier.timeoutsMs)));
  const build = async (wsdl: string, endpoint: string) =>
    soap.createClientAsync(WSDL_DIR + wsdl, { endpoint, httpClient: transport });
  const [amount, reserve, sms] = await Promise.all([
    build('amount_charging.wsdl', carrier.endpoints.amountCharging),
    build('reserve_amount_charging.wsdl', carrier.endpoints.reserveAmountCharging),
    build('send_sms.wsdl', carrier.endpoints.sendSms),
  ]);
  if (credentials.username && credentials.password) {
    // Parlay X carriers authenticate with a WS-Security UsernameToken.
    for (const client of [amount, reserve, sms])
      client.setSecurity(
        new soap.WSSecurity(credentials.username, credentials.password, { passwordType: 'PasswordText' }),
      );
  }

  async function call(client: soap.Client, operation: Operation, args: object): Promise<CarrierOutcome<unknown>> {
    const method = client[`${operation}Async`] as SoapCall;
    try {
      // Per-call options reach the transport: each operation has its own timeout.
      const [result] = await method.call(client, args, { timeout: carrier.timeoutsMs[operation] });
      return { kind: 'succeeded', value: result };
    } catch (error) {
      // A transport failure carries its code; a fault or bad reply, the reply node-soap could not use.
      const e = error as { response?: SoapReply };
      return e.response
        ? classifyFailure({ status: e.response.status, body: e.response.data })
        : classifyFailure({ code: failureCode(error) });
    }
  }

  /** Reads the `result` string of a reply, or turns a malformed reply into an unknown outcome. */
  function withResult<K extends string>(outcome: CarrierOutcome<unknown>, key: K): CarrierOutcome<Record<K, string>> {
    if (outcome.kind !== 'succeeded') return outcome;
    const result = (outcome.value as { result?: unknown } | null)?.result;
    if (typeof result !== 'string' || result === '') return { kind: 'unknown', detail: 'reply without result' };
    return { kind: 'succeeded', value: { [key]: result } as Record<K, string> };
  }

  /** AmountCharging's two operations take the same message: subscriber, charge, reference. */
  const amountOperation = async (
    operation: 'chargeAmount' | 'refundAmount',
    r: ChargeRequest,
  ): Promise<CarrierOutcome> =>
    done(
      await call(amount, operation, {
        endUserIdentifier: endUserIdentifier(r.phoneNumber),
        charge: chargingInformation(r.description, r.amountMinor, r.currency),
        referenceCode: r.reference,
      }),
    );

  const done = (outcome: CarrierOutcome<unknown>): CarrierOutcome =>
    outcome.kind === 'succeeded' ? { kind: 'succeeded', value: undefined } : outcome;

  return {
    carrierId: carrier.id,
    async reserveAmount(r) {
      const outcome = await call(reserve, 'reserveAmount', {
        endUserIdentifier: endUserIdentifier(r.phoneNumber),
        charge: chargingInformation(r.description, r.amountMinor, r.currency),
      });
      return withResult(outcome, 'reservationId');
    },
    async chargeReservation(r) {
      return done(
        await call(reserve, 'chargeReservation', {
          reservationIdentifier: r.reservationId,
          charge: chargingInformation(r.description, r.amountMinor, r.currency),
          referenceCode: r.reference,
        }),
      );
    },
    async releaseReservation({ reservationId }) {
      return done(await call(reserve, 'releaseReservation', { reservationIdentifier: reservationId }));
    },
    chargeAmount: (r) => amountOperation('chargeAmount', r),
    refundAmount: (r) => amountOperation('refundAmount', r),
    async sendSms(r) {
      const outcome = await call(sms, 'sendSms', {
        addresses: [endUserIdentifier(r.phoneNumber)],
        senderName: r.senderName,
        message: r.text,
      });
      return withResult(outcome, 'messageId');
    },
    async close() {
      transport.close();
    },
  };
}
