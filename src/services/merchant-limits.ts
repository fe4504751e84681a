import type { MerchantRecord } from '../ports/store/merchants.js';
import type { MerchantLimits } from './context.js';

/** A merchant's own limits as stored (null: the configured default), only those it has. */
export function limitsOf(
  m: Pick<
    MerchantRecord,
    'requests_per_second' | 'reads_per_second' | 'writes_per_second' | 'codes_per_minute' | 'max_payment_minor'
  >,
): MerchantLimits {
  return {
    ...(m.requests_per_second !== null ? { requestsPerSecond: m.requests_per_second } : {}),
    ...(m.reads_per_second !== null ? { readsPerSecond: m.reads_per_second } : {}),
    ...(m.writes_per_second !== null ? { writesPerSecond: m.writes_per_second } : {}),
    ...(m.codes_per_minute !== null ? { codesPerMinute: m.codes_per_minute } : {}),
    ...(m.max_payment_minor !== null ? { maxPaymentMinor: Number(m.max_payment_minor) } : {}),
  };
}
