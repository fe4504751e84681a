import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import * as soap from 'soap';
import { SIMULATED_CARRIERS } from './carriers.js';
import { CarrierLedger } from './ledger.js';
import { formatAmount } from './money.js';
import { oneapiRoutes } from './oneapi-routes.js';
import { parlayxServices } from './parlayx-services.js';
import { lineSignalRoutes } from './line-signals.js';
import { deliverReply, type ReplyTarget } from './replies.js';
import { SmsInbox } from './sms-inbox.js';
import { statementCsv, statementHeaderTrailer } from './statements.js';

const WSDL_DIR = fileURLToPath(new URL('../parlayx/wsdl/', import.meta.url));

export interface RunningSimulator {
  readonly url: string;
  readonly ledgers: ReadonlyMap<string, CarrierLedger>;
  readonly inbox: SmsInbox;
  /** Where subscribers' replies go from now on (the gateway's address is known only once it listens). */
  deliverRepliesTo(target: ReplyTarget): void;
  stop(): Promise<void>;
}

export interface SimulatorOptions {
  /** How long an unconfirmed reservation holds a subscriber's headroom (real carriers lapse them too). */
  readonly reservationLapseSeconds?: number;
  /** Where subscribers' replies go (else set later with `deliverRepliesTo`). */
  readonly replies?: ReplyTarget;
}

/** A day: far longer than any payment the gateway keeps reserved. */
const DEFAULT_RESERVATION_LAPSE_SECONDS = 86_400;

/**
 * Starts the simulated carrier network on one port: each carrier's protocol endpoints under
 * /parlayx/{carrierId}/... or /oneapi/{carrierId}/..., and the control surface of CONTRACTS §4
 * under /simulator/v1.
 */
export async function startSimulator(
  port: number,
  host = '127.0.0.1',
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  const app = express();
  const inbox = new SmsInbox();
  const ledgers = new Map<string, CarrierLedger>();
  const wsdl = {
    amountCharging: await readFile(`${WSDL_DIR}amount_charging.wsdl`, 'utf8'),
    reserveAmountCharging: await readFile(`${WSDL_DIR}reserve_amount_charging.wsdl`, 'utf8'),
    sendSms: await readFile(`${WSDL_DIR}send_sms.wsdl`, 'utf8'),
  };
  const paths = {
    amountCharging: 'AmountCharging',
    reserveAmountCharging: 'ReserveAmountCharging',
    sendSms: 'SendSms',
  } as const;

  let replies = options.replies;
  // A subscriber texts the gateway's number; their carrier delivers it in its protocol (CONTRACTS §7).
  app.post('/simulator/v1/sms/inbound', express.json({ limit: '8kb' }), async (req, res) => {
    const { from, text } = (req.body ?? {}) as { from?: unknown; text?: unknown };
    const carrier = SIMULATED_CARRIERS.find((c) => typeof from === 'string' && from.startsWith(c.prefix));
    if (typeof from !== 'string' || typeof text !== 'string' || !carrier) {
      res.status(400).json({ status: 400, code: 'INVALID_ARGUMENT', message: 'from (a simulated number) and text' });
      return;
    }
    if (!replies) {
      res.status(409).json({ status: 409, code: 'NO_GATEWAY', message: 'no gateway to deliver replies to' });
      return;
    }
    res.status(202).json({ carrierId: carrier.id, gatewayAnswered: await deliverReply(carrier, replies, from, text) });
  });

  app.use(lineSignalRoutes());

  app.get('/simulator/v1/sms', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : '';
    res.json(inbox.for(to));
  });
  app.get('/simulator/v1/carriers', (_req, res) => {
    res.json(
      SIMULATED_CARRIERS.map((c) => ({
        carrierId: c.id,
        protocol: c.protocol,
        dedupesReferences: c.dedupesReferences,
      })),
    );
  });
  // Not in CONTRACTS §4, but what tests and operators need to compare books with the gateway.
  app.get('/simulator/v1/carriers/:carrierId/ledger', (req, res) => {
    const ledger = ledgers.get(req.params.carrierId);
    if (!ledger) {
      res.status(404).json({ status: 404, code: 'NOT_FOUND', message: 'unknown carrier' });
      return;
    }
    const msisdn = typeof req.query.msisdn === 'string' ? req.query.msisdn : undefined;
    res.json({
      entries: ledger.entries
        .filter((e) => !msisdn || e.msisdn === msisdn)
        .map((e) => ({
          ...e,
          amount: Number(formatAmount(e.amountMinor, e.currency)),
          amountMinor: undefined,
          at: e.at.toISOString(),
        })),
      openReservations: (msisdn ? ledger.openReservations(msisdn) : ledger.allOpenReservations()).map((r) => r.id),
      lapsedReservations: ledger.lapsedReservations,
    });
  });

  app.get('/simulator/v1/carriers/:carrierId/statements/:file', (req, res) => {
    const ledger = ledgers.get(req.params.carrierId);
    const match = /^(\d{4}-\d{2})\.(csv|txt)$/.exec(req.params.file);
    if (!ledger || !match?.[1]) {
      res.status(404).json({ status: 404, code: 'NOT_FOUND', message: 'unknown carrier or statement' });
      return;
    }
    const [, period, kind] = match;
    const currency = SIMULATED_CARRIERS.find((c) => c.id === req.params.carrierId)?.currency ?? 'KRW';
    if (kind === 'csv') res.type('text/csv').send(statementCsv(ledger, period));
    else res.type('text/plain').send(statementHeaderTrailer(ledger, period, currency));
  });

  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

  const { port: actualPort } = server.address() as AddressInfo;
  const url = `http://${host}:${actualPort}`;
  for (const carrier of SIMULATED_CARRIERS) {
    const ledger = new CarrierLedger({
      carrierId: carrier.id,
      monthlyLimitMinor: carrier.monthlyLimitMinor,
      dedupesReferences: carrier.dedupesReferences,
      reservationLapseMs: (options.reservationLapseSeconds ?? DEFAULT_RESERVATION_LAPSE_SECONDS) * 1000,
    });
    ledgers.set(carrier.id, ledger);
    if (carrier.protocol === 'oneapi') {
      app.use(
        `/oneapi/${carrier.id}`,
        oneapiRoutes(ledger, inbox, () => `${url}/oneapi/${carrier.id}`),
      );
      continue;
    }
    const services = parlayxServices(ledger, inbox);
    for (const key of Object.keys(paths) as Array<keyof typeof paths>) {
      soap.listen(app, { path: `/parlayx/${carrier.id}/${paths[key]}`, services: services[key], xml: wsdl[key] });
    }
  }

  return {
    url,
    ledgers,
    inbox,
    deliverRepliesTo(target) {
      replies = target;
    },
    async stop() {
      // Hanging magic-number calls hold sockets open; close them rather than wait.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
