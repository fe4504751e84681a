import type { ServerResponse } from 'node:http';
import { toMinorUnits } from '../../src/domain/money.js';
import { CarrierFault, type CarrierLedger } from './ledger.js';
import { Behaviours } from './behaviour.js';
import { behaviourOf } from './magic.js';
import type { SmsInbox } from './sms-inbox.js';

/** What node-soap hands a service method. */
type SoapArgs = Record<string, unknown>;
type Handler = (args: SoapArgs, callback: unknown, headers: unknown, req: unknown, res: ServerResponse) => unknown;

interface Charge {
  description?: unknown;
  currency?: unknown;
  amount?: unknown;
}

const NEVER = () => new Promise<never>(() => undefined);

function msisdnOf(endUserIdentifier: unknown): string {
  const value = Array.isArray(endUserIdentifier) ? endUserIdentifier[0] : endUserIdentifier;
  const text = String(value ?? '');
  if (!/^tel:\+[1-9]\d{4,14}$/.test(text)) throw new CarrierFault('SVC0004', `No valid addresses provided: ${text}`);
  return text.slice(4);
}

function moneyOf(charge: unknown): { amountMinor: bigint; currency: string; description: string } {
  const c = (charge ?? {}) as Charge;
  const currency = String(c.currency ?? '');
  try {
    return { amountMinor: toMinorUnits(Number(c.amount), currency), currency, description: String(c.description ?? '') };
  } catch {
    throw new CarrierFault('SVC0002', `Invalid input value for charge amount/currency`);
  }
}

function toSoapFault(error: unknown): never {
  if (error instanceof CarrierFault) {
    const name = error.kind === 'policy' ? 'PolicyException' : 'ServiceException';
    throw {
      Fault: {
        faultcode: 'soap:Server',
        faultstring: error.text,
        detail: { [name]: { messageId: error.faultId, text: error.text } },
        statusCode: 500,
      },
    };
  }
  throw error;
}

/** Runs an operation through the magic-number behaviours and renders the step the SOAP way. */
function operation(behaviours: Behaviours, name: string, charging: boolean, subscriberOf: (args: SoapArgs) => string | undefined, apply: (args: SoapArgs) => object): Handler {
  return (args, _callback, _headers, _req, res) => {
    try {
      const reference = typeof args.referenceCode === 'string' ? args.referenceCode : undefined;
      const step = behaviours.run({ name, msisdn: subscriberOf(args), charging, attemptKey: JSON.stringify(args), reference }, () => apply(args));
      if (step.kind === 'answer') return step.value;
      if (step.kind === 'refuse') {
        res.statusCode = 503;
        res.end();
      }
      return NEVER();
    } catch (error) {
      return toSoapFault(error);
    }
  };
}

/** The three Parlay X services of one simulated carrier, in node-soap's service-object shape. */
export function parlayxServices(ledger: CarrierLedger, inbox: SmsInbox) {
  const behaviours = new Behaviours();
  const bySubscriber = (args: SoapArgs) => msisdnOf(args.endUserIdentifier);
  const byReservation = (args: SoapArgs) => ledger.reservationOwner(String(args.reservationIdentifier ?? ''));
  const reference = (args: SoapArgs) => String(args.referenceCode ?? '');

  return {
    amountCharging: {
      AmountChargingService: {
        AmountCharging: {
          chargeAmount: operation(behaviours, 'chargeAmount', true, bySubscriber, (args) => {
            const m = moneyOf(args.charge);
            ledger.charge(msisdnOf(args.endUserIdentifier), m.amountMinor, m.currency, reference(args), m.description);
            return {};
          }),
          refundAmount: operation(behaviours, 'refundAmount', true, bySubscriber, (args) => {
            const m = moneyOf(args.charge);
            ledger.refund(msisdnOf(args.endUserIdentifier), m.amountMinor, m.currency, reference(args), m.description);
            return {};
          }),
        },
      },
    },
    reserveAmountCharging: {
      ReserveAmountChargingService: {
        ReserveAmountCharging: {
          reserveAmount: operation(behaviours, 'reserveAmount', false, bySubscriber, (args) => {
            const m = moneyOf(args.charge);
            return { result: ledger.reserve(msisdnOf(args.endUserIdentifier), m.amountMinor, m.currency) };
          }),
          chargeReservation: operation(behaviours, 'chargeReservation', true, byReservation, (args) => {
            const m = moneyOf(args.charge);
            ledger.chargeReservation(String(args.reservationIdentifier ?? ''), m.amountMinor, reference(args), m.description);
            return {};
          }),
          releaseReservation: operation(behaviours, 'releaseReservation', false, byReservation, (args) => {
            ledger.release(String(args.reservationIdentifier ?? ''));
            return {};
          }),
        },
      },
    },
    sendSms: {
      SendSmsService: {
        SendSms: {
          sendSms: operation(behaviours, 'sendSms', false, (args) => msisdnOf(args.addresses), (args) => {
            const to = msisdnOf(args.addresses);
            const from = String(args.senderName ?? ledger.options.carrierId);
            const text = String(args.message ?? '');
            const messageId = behaviourOf(to).kind === 'drop_sms' ? inbox.nextMessageId() : inbox.deliver(to, from, text).messageId;
            return { result: messageId };
          }),
        },
      },
    },
  };
}
