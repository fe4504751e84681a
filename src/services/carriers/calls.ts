import type { CarrierConfig } from '../../../config/schema.js';
import type { CarrierOutcome } from '../../ports/carrier.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls a carrier operation, retrying only what definitely did not happen (`not_executed`), with
 * exponential backoff. The caller passes the same request each time, so the reference is stable.
 */
export async function callWithRetries<T>(
  retry: CarrierConfig['retry'],
  call: () => Promise<CarrierOutcome<T>>,
): Promise<{ outcome: CarrierOutcome<T>; tries: number }> {
  let tries = 0;
  for (;;) {
    tries += 1;
    const outcome = await call();
    if (outcome.kind !== 'not_executed' || tries >= retry.attempts) return { outcome, tries };
    await sleep(retry.backoffMs * 2 ** (tries - 1));
  }
}

/** The longest a call with its retries can take: each try's timeout plus the backoff between tries. */
export function retryBudgetMs(retry: CarrierConfig['retry'], timeoutMs: number): number {
  let total = 0;
  for (let i = 0; i < retry.attempts; i++) total += timeoutMs + (i > 0 ? retry.backoffMs * 2 ** (i - 1) : 0);
  return total;
}
