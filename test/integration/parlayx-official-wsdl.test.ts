import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParlayxAdapter } from '../../adapters/parlayx/client.js';
import { defaults } from '../../config/default.js';
import type { CarrierAdapter } from '../../src/ports/carrier.js';

/**
 * Interoperability: our adapter, built from the project's own WSDLs, against a SOAP server built
 * from the official Parlay X 2.1 files in ../shared/specs/parlayx (skipped where ../shared is absent).
 */
const OFFICIAL = fileURLToPath(new URL('../../../shared/specs/parlayx/', import.meta.url));
const present = existsSync(OFFICIAL);

const received: Array<{ operation: string; args: Record<string, unknown> }> = [];
const policyFault = (id: string, text: string) => ({
  Fault: {
    faultcode: 'soap:Server',
    faultstring: text,
    detail: { PolicyException: { messageId: id, text } },
    statusCode: 500,
  },
});

function record(operation: string, result: object) {
  return (args: Record<string, unknown>) => {
    received.push({ operation, args });
    const charge = args.charge as { description?: string } | undefined;
    if (charge?.description === 'decline me')
      // node-soap answers a thrown `{ Fault }` object (not an Error) with a SOAP fault.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw policyFault('POL1000', 'User has insufficient credit for transaction');
    return result;
  };
}

let server: http.Server;
let adapter: CarrierAdapter;

describe.skipIf(!present)('Parlay X adapter against the official 2.1 WSDLs', () => {
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // The WSDL's imports load asynchronously; the callback says when the endpoint is ready.
    const serve = (file: string, path: string, services: soap.IServices) =>
      new Promise<void>((resolve, reject) => {
        soap.listen(server, {
          path,
          services,
          xml: readFileSync(OFFICIAL + file, 'utf8'),
          uri: OFFICIAL + file,
          callback: (error: unknown) =>
            error ? reject(new Error('the WSDL did not load', { cause: error })) : resolve(),
        });
      });
    await serve('parlayx_payment_reserve_amount_charging_service_2_1.wsdl', '/reserve', {
      ReserveAmountChargingService: {
        ReserveAmountCharging: {
          reserveAmount: record('reserveAmount', { result: 'official-reservation-1' }),
          chargeReservation: record('chargeReservation', {}),
          releaseReservation: record('releaseReservation', {}),
          reserveAdditionalAmount: record('reserveAdditionalAmount', {}),
        },
      },
    });
    await serve('parlayx_payment_amount_charging_service_2_1.wsdl', '/amount', {
      AmountChargingService: {
        AmountCharging: { chargeAmount: record('chargeAmount', {}), refundAmount: record('refundAmount', {}) },
      },
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const base = defaults.carriers.find((c) => c.protocol === 'parlayx');
    if (base?.protocol !== 'parlayx') throw new Error('no default Parlay X carrier');
    adapter = await createParlayxAdapter({
      ...base,
      endpoints: { amountCharging: `${url}/amount`, reserveAmountCharging: `${url}/reserve`, sendSms: `${url}/sms` },
    });
  });

  afterAll(async () => {
    await adapter?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('reserves, charges the reservation and releases with the standard element names', async () => {
    const reserved = await adapter.reserveAmount({
      phoneNumber: '+821012345678',
      amountMinor: 1500n,
      currency: 'KRW',
      description: 'Gift card',
      reference: 'pay_wsdl-1',
    });
    expect(reserved).toEqual({ kind: 'succeeded', value: { reservationId: 'official-reservation-1' } });
    const charged = await adapter.chargeReservation({
      reservationId: 'official-reservation-1',
      phoneNumber: '+821012345678',
      amountMinor: 1500n,
      currency: 'KRW',
      description: 'Gift card',
      reference: 'op_ref_1',
    });
    expect(charged.kind).toBe('succeeded');
    expect(
      (await adapter.releaseReservation({ reservationId: 'official-reservation-1', phoneNumber: '+821012345678' }))
        .kind,
    ).toBe('succeeded');

    const [reserve, charge, release] = received.slice(-3);
    expect(reserve).toMatchObject({
      operation: 'reserveAmount',
      args: { endUserIdentifier: 'tel:+821012345678', charge: { description: 'Gift card', currency: 'KRW' } },
    });
    expect(String((reserve?.args.charge as { amount: unknown }).amount)).toBe('1500');
    expect(charge).toMatchObject({
      operation: 'chargeReservation',
      args: { reservationIdentifier: 'official-reservation-1', referenceCode: 'op_ref_1' },
    });
    expect(release).toMatchObject({
      operation: 'releaseReservation',
      args: { reservationIdentifier: 'official-reservation-1' },
    });
  });

  it('charges in one step with the reference, and reads an official PolicyException as a decline', async () => {
    const charged = await adapter.chargeAmount({
      phoneNumber: '+821012345678',
      amountMinor: 990n,
      currency: 'KRW',
      description: 'Song',
      reference: 'op_ref_2',
    });
    expect(charged.kind).toBe('succeeded');
    expect(received.at(-1)).toMatchObject({
      operation: 'chargeAmount',
      args: { endUserIdentifier: 'tel:+821012345678', referenceCode: 'op_ref_2' },
    });

    const declined = await adapter.chargeAmount({
      phoneNumber: '+821012345678',
      amountMinor: 990n,
      currency: 'KRW',
      description: 'decline me',
      reference: 'op_ref_3',
    });
    expect(declined).toEqual({ kind: 'declined', reason: 'insufficient_funds', carrierCode: 'POL1000' });
  });
});
