import express, { Router } from 'express';
import type { InboundSmsHandlers } from '../../src/ports/inbound-sms.js';
import { basicCredentials } from '../inbound-basic-auth.js';

/** Where a OneAPI carrier posts its subscribers' messages to the gateway (per carrier, by id). */
export const oneapiInboundPath = (carrierId: string) => `/carriers/${carrierId}/oneapi/inboundSMSMessageNotification`;

interface Notification {
  inboundSMSMessageNotification?: { inboundSMSMessage?: { senderAddress?: unknown; message?: unknown } };
}

/**
 * The GSMA OneAPI inbound SMS notification (`inboundSMSMessageNotification`) the gateway serves,
 * one endpoint per OneAPI carrier, which must present its configured credentials by HTTP Basic.
 */
export function oneapiInboundSmsRouter(carrierIds: string[], handlers: InboundSmsHandlers): Router {
  const router = Router();
  for (const carrierId of carrierIds) {
    router.post(oneapiInboundPath(carrierId), express.json({ limit: '8kb' }), async (req, res) => {
      const presented = basicCredentials(req.get('authorization'));
      if (!presented || !handlers.authorize(carrierId, presented.username, presented.password)) {
        res.status(401).set('WWW-Authenticate', 'Basic realm="gateway"').end();
        return;
      }
      const message = (req.body as Notification).inboundSMSMessageNotification?.inboundSMSMessage;
      const from = typeof message?.senderAddress === 'string' ? message.senderAddress.replace(/^tel:/, '') : '';
      if (!from || typeof message?.message !== 'string') {
        res
          .status(400)
          .json({ requestError: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value' } } });
        return;
      }
      await handlers.receive({ carrierId, from, text: message.message });
      res.status(204).end();
    });
  }
  return router;
}
