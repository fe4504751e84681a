import { fileURLToPath } from 'node:url';
import * as soap from 'soap';
import type { SimulatedCarrier } from './carriers.js';

const NOTIFICATION_WSDL = fileURLToPath(new URL('../parlayx/wsdl/sms_notification.wsdl', import.meta.url));

/** The one operation of the SMS notification WSDL, as the soap package generates it. */
interface NotificationClient {
  notifySmsReceptionAsync(args: object): Promise<unknown>;
}

/** One SOAP client per carrier and gateway: the WSDL is parsed once, not per message. */
const clients = new Map<string, Promise<NotificationClient>>();

function notificationClient(carrier: SimulatedCarrier, target: ReplyTarget): Promise<NotificationClient> {
  const endpoint = `${target.gatewayUrl}/carriers/${carrier.id}/parlayx/SmsNotification`;
  const key = `${endpoint}|${target.secret}`;
  let client = clients.get(key);
  if (!client) {
    client = soap.createClientAsync(NOTIFICATION_WSDL, { endpoint }).then((c) => {
      c.setSecurity(new soap.BasicAuthSecurity(carrier.id, target.secret));
      return c as unknown as NotificationClient;
    });
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}

/** Where the simulated carriers deliver their subscribers' messages to the gateway, and the secret they present. */
export interface ReplyTarget {
  readonly gatewayUrl: string;
  readonly secret: string;
}

/**
 * A subscriber's SMS to the gateway's number, delivered as a real carrier would: Parlay X carriers
 * call the gateway's `notifySmsReception`, OneAPI ones post an `inboundSMSMessageNotification`,
 * each with HTTP Basic credentials (the carrier's id and the shared secret). Answers the HTTP
 * status the gateway gave.
 */
export async function deliverReply(
  carrier: SimulatedCarrier,
  target: ReplyTarget,
  from: string,
  text: string,
): Promise<number> {
  const authorization = `Basic ${Buffer.from(`${carrier.id}:${target.secret}`).toString('base64')}`;
  if (carrier.protocol === 'oneapi') {
    const response = await fetch(`${target.gatewayUrl}/carriers/${carrier.id}/oneapi/inboundSMSMessageNotification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({
        inboundSMSMessageNotification: {
          callbackData: carrier.id,
          inboundSMSMessage: {
            dateTime: new Date().toISOString(),
            destinationAddress: 'tel:PAY',
            messageId: `in-${Date.now()}`,
            message: text,
            senderAddress: `tel:${from}`,
          },
        },
      }),
    });
    return response.status;
  }
  const client = await notificationClient(carrier, target);
  try {
    await client.notifySmsReceptionAsync({
      correlator: `in-${Date.now()}`,
      message: {
        message: text,
        senderAddress: `tel:${from}`,
        smsServiceActivationNumber: 'tel:PAY',
        dateTime: new Date().toISOString(),
      },
    });
    return 200;
  } catch (error) {
    return (error as { response?: { status?: number } }).response?.status ?? 502;
  }
}
