import type { Router } from 'express';
import type { CarrierConfig } from '../config/schema.js';
import type { InboundSmsHandlers } from '../src/ports/inbound-sms.js';
import { oneapiInboundSmsRouter } from './oneapi/inbound-sms.js';
import { parlayxSmsNotificationRouter } from './parlayx/sms-notification.js';

/** The endpoints every configured carrier delivers its subscribers' SMS replies to, in its own protocol. */
export async function inboundSmsRouters(
  carriers: readonly CarrierConfig[],
  handlers: InboundSmsHandlers,
): Promise<Router[]> {
  const of = (protocol: CarrierConfig['protocol']) => carriers.filter((c) => c.protocol === protocol).map((c) => c.id);
  return [await parlayxSmsNotificationRouter(of('parlayx'), handlers), oneapiInboundSmsRouter(of('oneapi'), handlers)];
}
