import type { CarrierSignals } from '../../src/ports/carrier-signals.js';
import { createHttpExchange } from '../http-exchange.js';

/**
 * A carrier's CAMARA SIM Swap (`POST …/check {phoneNumber, maxAge}` → `{swapped}`) and KYC Tenure
 * (`POST …/check-tenure {phoneNumber, tenureDate}` → `{tenureDateCheck}`) endpoints. Any failure,
 * slow answer or odd reply is "unknown", never an error.
 */
export function createCamaraSignals(
  endpoints: { simSwapCheck: string; tenureCheck: string },
  timeoutMs: number,
): CarrierSignals & { close(): void } {
  const http = createHttpExchange(16);
  async function ask(url: string, body: Record<string, unknown>, field: string): Promise<boolean | undefined> {
    try {
      const reply = await http.exchange(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        timeoutMs,
      });
      if (reply.status !== 200) return undefined;
      const answer = (JSON.parse(reply.body) as Record<string, unknown> | null)?.[field];
      return typeof answer === 'boolean' ? answer : undefined;
    } catch {
      return undefined;
    }
  }
  return {
    simSwappedWithin: (phoneNumber, hours) => ask(endpoints.simSwapCheck, { phoneNumber, maxAge: hours }, 'swapped'),
    async lineYoungerThan(phoneNumber, days, today) {
      const tenureDate = new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
      // tenureDateCheck: the line has been with its subscriber since tenureDate.
      const heldSince = await ask(endpoints.tenureCheck, { phoneNumber, tenureDate }, 'tenureDateCheck');
      return heldSince === undefined ? undefined : !heldSince;
    },
    close: () => http.close(),
  };
}
