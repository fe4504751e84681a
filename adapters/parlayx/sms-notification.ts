import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { Router } from 'express';
import * as soap from 'soap';
import type { InboundSmsHandlers } from '../../src/ports/inbound-sms.js';
import { basicCredentials } from '../inbound-basic-auth.js';

const WSDL = fileURLToPath(new URL('./wsdl/sms_notification.wsdl', import.meta.url));

/** Where a Parlay X carrier delivers its subscribers' messages to the gateway (per carrier, by id). */
export const parlayxNotificationPath = (carrierId: string) => `/carriers/${carrierId}/parlayx/SmsNotification`;

/** A `tel:+8210…` (or bare) sender address as E.164. */
function senderNumber(address: unknown): string {
  return typeof address === 'string' ? address.replace(/^tel:/, '').trim() : '';
}

/**
 * The Parlay X 2.1 SMS notification interface the gateway serves (`notifySmsReception`), one
 * endpoint per Parlay X carrier, which must present its configured credentials by HTTP Basic.
 */
export async function parlayxSmsNotificationRouter(
  carrierIds: string[],
  handlers: InboundSmsHandlers,
): Promise<Router> {
  const router = Router();
  const xml = await readFile(WSDL, 'utf8');
  for (const carrierId of carrierIds) {
    const services = {
      SmsNotificationService: {
        SmsNotification: {
          notifySmsReception: async (args: { message?: { message?: unknown; senderAddress?: unknown } }) => {
            const text = typeof args.message?.message === 'string' ? args.message.message : '';
            await handlers.receive({ carrierId, from: senderNumber(args.message?.senderAddress), text });
            return {};
          },
        },
      },
    };
    // A bounded body, read before the SOAP server sees it (it would read any length, gzipped too).
    router.use(
      parlayxNotificationPath(carrierId),
      express.raw({ type: () => true, limit: '16kb' }),
      (req, res, next) => {
        if (Buffer.isBuffer(req.body) && req.body.length > 0) next();
        else res.status(400).end();
      },
    );
    const server = soap.listen(router, {
      path: parlayxNotificationPath(carrierId),
      services,
      xml,
      suppressStack: true,
    });
    // Refused before the envelope is read: only the carrier holding the credentials may deliver.
    server.authorizeConnection = (req: IncomingMessage, res?: ServerResponse) => {
      const presented = basicCredentials(req.headers.authorization);
      if (presented && handlers.authorize(carrierId, presented.username, presented.password)) return true;
      if (res) {
        res.statusCode = 401;
        res.setHeader('WWW-Authenticate', 'Basic realm="gateway"');
      }
      return false;
    };
  }
  return router;
}
