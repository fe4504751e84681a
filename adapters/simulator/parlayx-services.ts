import type { ServerResponse } from 'node:http';
import { CarrierFault, type CarrierLedger } from './ledger.js';
import { Behaviours } from './behaviour.js';
import { textOf } from './fields.js';
import { behaviourOf } from './magic.js';
import { parseAmount } from './money.js';
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
  const text = textOf(endUserIdentifier);
  if (!/^tel:\+[1-9]\d{4,14}$/.test(text)) throw new CarrierFault('SVC0004', `No valid addresses provided: ${text}`);
  return text.slice(4);
}

function moneyOf(charge: unknown): { amountMinor: bigint; currency: string; description: string } {
  const c = (charge ?? {}) as Charge;
  const currency = textOf(c.currency);
  const amountMinor = parseAmount(c.amount, currency);
  if (amountMinor === undefined) throw new CarrierFault('SVC0002', 'Invalid input value for charge amount/currency');
  return { amountMinor, currency, description: textOf(c.description) };
}

function toSoapFault(error: unknown): never {
  if (error instanceof CarrierFault) {
    const name = error.kind === 'policy' ? 'PolicyException' : 'ServiceException';
    // node-soap answers a thrown `{ Fault }` object (not an Error) with a SOAP fault.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
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
function operation(
  behaviours: Behaviours,
  name: string,
  charging: boolean,
  subscriberOf: (args: SoapArgs) => string | undefined,
  apply: (args: SoapArgs) => object,
): Handler {
  return (args, _callback, _headers, _req, res) => {
    try {
      const reference = typeof args.referenceCode === 'string' ? args.referenceCode : undefined;
      const step = behaviours.run(
        { name, msisdn: subscriberOf(args), charging, attemptKey: JSON.stringify(args), reference },
        () => apply(args),
      );
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
  const byReservation = (args: SoapArgs) => ledger.reservationOwner(textOf(args.reservationIdentifier));
  const reference = (args: SoapArgs) => textOf(args.referenceCode);

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
            ledger.chargeReservation(textOf(args.reservationIdentifier), m.amountMinor, reference(args), m.description);
            return {};
          }),
          releaseReservation: operation(behaviours, 'releaseReservation', false, byReservation, (args) => {
            ledger.release(textOf(args.reservationIdentifier));
            return {};
          }),
        },
      },
    },
    sendSms: {
      SendSmsService: {
        SendSms: {
          sendSms: operation(
            behaviours,
            'sendSms',
            false,
            (args) => msisdnOf(args.addresses),
            (args) => {
              const to = msisdnOf(args.addresses);
              const from = textOf(args.senderName) || ledger.options.carrierId;
              const text = textOf(args.message);
              const messageId =
                behaviourOf(to).kind === 'drop_sms' ? inbox.nextMessageId() : inbox.deliver(to, from, text).messageId;
              return { result: messageId };
            },
          ),
        },
      },
    },
  };
}
