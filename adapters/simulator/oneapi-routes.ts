import express, { Router, type Request, type Response } from 'express';
import { Behaviours, type OperationCall, type Step } from './behaviour.js';
import { CarrierFault, type CarrierLedger, type LedgerEntry } from './ledger.js';
import { textOf } from './fields.js';
import { behaviourOf } from './magic.js';
import { parseAmount } from './money.js';
import type { SmsInbox } from './sms-inbox.js';

interface ChargingInformation {
  amount?: unknown;
  currency?: unknown;
  description?: unknown;
}
interface Transaction {
  endUserId?: unknown;
  paymentAmount?: { chargingInformation?: ChargingInformation };
  referenceCode?: unknown;
  clientCorrelator?: unknown;
  transactionOperationStatus?: unknown;
}

/** `tel:+8210…` → `+8210…` (queries answer for whatever is asked; requests check it: msisdnOf). */
const endUserNumber = (endUserId: string) => endUserId.replace(/^tel:/, '');

function msisdnOf(endUserId: string): string {
  const msisdn = endUserNumber(endUserId);
  if (!/^\+[1-9]\d{4,14}$/.test(msisdn)) throw new CarrierFault('SVC0004', `No valid addresses provided: ${endUserId}`);
  return msisdn;
}

function moneyOf(t: Transaction) {
  const c = t.paymentAmount?.chargingInformation ?? {};
  const currency = textOf(c.currency);
  const description = Array.isArray(c.description) ? c.description.map(textOf).join(' ') : textOf(c.description);
  const amountMinor = parseAmount(c.amount, currency);
  if (amountMinor === undefined) throw new CarrierFault('SVC0002', 'Invalid input value for chargingInformation');
  return { amountMinor, currency, description };
}

/** A JSON body's top-level fields (express gives `any`; the fields are checked one by one). */
function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** Renders a step of the magic-number engine as OneAPI REST. */
function respond<T>(res: Response, status: number, produce: () => { step: Step<T>; body: (value: T) => object }) {
  try {
    const { step, body } = produce();
    if (step.kind === 'answer') res.status(status).json(body(step.value));
    else if (step.kind === 'refuse') res.status(503).end();
    // 'hang': never answer; the socket stays open until the caller gives up.
  } catch (error) {
    if (!(error instanceof CarrierFault)) throw error;
    const exception = { messageId: error.faultId, text: error.text };
    res.status(error.kind === 'policy' ? 403 : 400).json({
      requestError: error.kind === 'policy' ? { policyException: exception } : { serviceException: exception },
    });
  }
}

const transactionView = (e: LedgerEntry) => ({
  endUserId: `tel:${e.msisdn}`,
  referenceCode: e.referenceCode,
  clientCorrelator: e.referenceCode,
  serverReferenceCode: e.carrierTransactionId,
  transactionOperationStatus: e.type === 'charge' ? 'Charged' : 'Refunded',
});

/** How OneAPI names a reservation's state (a lapsed one holds nothing, as one released). */
const RESERVATION_STATUS = {
  open: 'Reserved',
  charged: 'Charged',
  released: 'Released',
  lapsed: 'Released',
  lapsed_released: 'Released',
} as const;

/** GSMA OneAPI Payment (amount and reservations, status query) and SMS for one simulated carrier. */
export function oneapiRoutes(ledger: CarrierLedger, inbox: SmsInbox, baseUrl: () => string): Router {
  const router = Router();
  const behaviours = new Behaviours();
  router.use(express.json({ limit: '64kb' }));
  const call = (
    req: Request,
    name: string,
    charging: boolean,
    msisdn: string | undefined,
    reference?: string,
  ): OperationCall => ({
    name,
    msisdn,
    charging,
    reference,
    attemptKey: `${req.originalUrl}|${JSON.stringify(req.body)}`,
  });

  router.post('/payment/v1/:endUserId/transactions/amount', (req, res) => {
    respond(res, 201, () => {
      const t = (bodyOf(req).amountTransaction ?? {}) as Transaction;
      const msisdn = msisdnOf(req.params.endUserId);
      const reference = textOf(t.clientCorrelator) || textOf(t.referenceCode);
      const refund = t.transactionOperationStatus === 'Refunded';
      const step = behaviours.run(call(req, refund ? 'refundAmount' : 'chargeAmount', true, msisdn, reference), () => {
        const m = moneyOf(t);
        if (refund) ledger.refund(msisdn, m.amountMinor, m.currency, reference, m.description);
        else if (t.transactionOperationStatus === 'Charged')
          ledger.charge(msisdn, m.amountMinor, m.currency, reference, m.description);
        else throw new CarrierFault('SVC0002', 'transactionOperationStatus must be Charged or Refunded');
        return ledger.entriesWithReference(reference).at(-1);
      });
      return {
        step,
        body: (entry?: LedgerEntry) => ({
          amountTransaction: {
            ...t,
            serverReferenceCode: entry?.carrierTransactionId,
            resourceURL: `${baseUrl()}${req.originalUrl}/${entry?.carrierTransactionId ?? ''}`,
          },
        }),
      };
    });
  });

  // Status query by clientCorrelator: what was applied under that reference, if anything.
  router.get('/payment/v1/:endUserId/transactions/amount', (req, res) => {
    const reference = typeof req.query.clientCorrelator === 'string' ? req.query.clientCorrelator : '';
    const msisdn = endUserNumber(req.params.endUserId);
    const entries = ledger.entriesWithReference(reference).filter((e) => e.msisdn === msisdn);
    res.json({
      paymentTransactionList: {
        amountTransaction: entries.map(transactionView),
        resourceURL: `${baseUrl()}${req.originalUrl}`,
      },
    });
  });

  router.post('/payment/v1/:endUserId/transactions/amountReservation', (req, res) => {
    respond(res, 201, () => {
      const t = (bodyOf(req).amountReservationTransaction ?? {}) as Transaction;
      const msisdn = msisdnOf(req.params.endUserId);
      const reference = textOf(t.clientCorrelator) || undefined;
      const step = behaviours.run(call(req, 'reserveAmount', false, msisdn), () => {
        const m = moneyOf(t);
        return ledger.reserve(msisdn, m.amountMinor, m.currency, reference);
      });
      return {
        step,
        body: (id: string) => ({
          amountReservationTransaction: {
            ...t,
            transactionOperationStatus: 'Reserved',
            resourceURL: `${baseUrl()}${req.originalUrl}/${encodeURIComponent(id)}`,
          },
        }),
      };
    });
  });

  // The reservation made under a clientCorrelator, for a client whose reserve's answer was lost.
  router.get('/payment/v1/:endUserId/transactions/amountReservation', (req, res) => {
    const reference = typeof req.query.clientCorrelator === 'string' ? req.query.clientCorrelator : '';
    const msisdn = endUserNumber(req.params.endUserId);
    const reservation = ledger.reservationWithReference(msisdn, reference);
    const base = `${baseUrl()}/payment/v1/${encodeURIComponent(req.params.endUserId)}/transactions/amountReservation`;
    res.json({
      reservationTransactionList: {
        amountReservationTransaction: reservation
          ? [
              {
                endUserId: `tel:${msisdn}`,
                clientCorrelator: reference,
                transactionOperationStatus: RESERVATION_STATUS[reservation.state],
                resourceURL: `${base}/${encodeURIComponent(reservation.id)}`,
              },
            ]
          : [],
        resourceURL: `${baseUrl()}${req.originalUrl}`,
      },
    });
  });

  router.post('/payment/v1/:endUserId/transactions/amountReservation/:reservationId', (req, res) => {
    respond(res, 200, () => {
      const t = (bodyOf(req).amountReservationTransaction ?? {}) as Transaction;
      const reservationId = req.params.reservationId;
      const msisdn = ledger.reservationOwner(reservationId);
      const reference = textOf(t.clientCorrelator) || textOf(t.referenceCode);
      if (t.transactionOperationStatus === 'Released') {
        return {
          step: behaviours.run(call(req, 'releaseReservation', false, msisdn), () => ledger.release(reservationId)),
          body: () => ({ amountReservationTransaction: { ...t } }),
        };
      }
      if (t.transactionOperationStatus !== 'Charged')
        throw new CarrierFault('SVC0002', 'transactionOperationStatus must be Charged or Released');
      const step = behaviours.run(call(req, 'chargeReservation', true, msisdn, reference), () => {
        const m = moneyOf(t);
        ledger.chargeReservation(reservationId, m.amountMinor, reference, m.description);
      });
      return { step, body: () => ({ amountReservationTransaction: { ...t } }) };
    });
  });

  router.post('/smsmessaging/v1/outbound/:senderAddress/requests', (req, res) => {
    respond(res, 201, () => {
      const request = (bodyOf(req).outboundSMSMessageRequest ?? {}) as {
        address?: unknown;
        senderName?: unknown;
        outboundSMSTextMessage?: { message?: unknown };
      };
      const address = textOf(request.address);
      const to = msisdnOf(address);
      const step = behaviours.run(call(req, 'sendSms', false, to), () => {
        const from = textOf(request.senderName) || req.params.senderAddress;
        const text = textOf(request.outboundSMSTextMessage?.message);
        return behaviourOf(to).kind === 'drop_sms' ? inbox.nextMessageId() : inbox.deliver(to, from, text).messageId;
      });
      return {
        step,
        body: (id: string) => ({
          outboundSMSMessageRequest: { ...request, resourceURL: `${baseUrl()}${req.originalUrl}/${id}` },
        }),
      };
    });
  });

  return router;
}
