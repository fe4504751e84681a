import type { CarrierConfig } from './schema.js';

/**
 * Settings every environment starts from. The demo carriers live on the simulator; a production
 * configuration replaces them (see production.ts) and never enables the simulator.
 */
function simulatedParlayxCarrier(id: string, name: string, prefix: string): CarrierConfig {
  const base = `{simulatorUrl}/parlayx/${id}`;
  return {
    id,
    name,
    protocol: 'parlayx',
    prefixes: [prefix],
    endpoints: {
      amountCharging: `${base}/AmountCharging`,
      reserveAmountCharging: `${base}/ReserveAmountCharging`,
      sendSms: `${base}/SendSms`,
    },
    smsSenderName: 'PAY',
    timeoutsMs: { reserveAmount: 3000, chargeReservation: 5000, releaseReservation: 3000, chargeAmount: 5000, sendSms: 3000 },
    retry: { attempts: 3, backoffMs: 200 },
  };
}

export const defaults = {
  env: 'demo',
  port: 8080,
  dataDir: './.data',
  redisPrefix: 'cbg:',
  tokenTtlSeconds: 3600,
  logLevel: 'info',
  simulator: { enabled: true, port: 8090 },
  currencies: ['KRW'],
  otp: { ttlSeconds: 300, maxAttempts: 5, maxSends: 3, resendCooldownSeconds: 30, sendsPerPhonePerHour: 10 },
  payments: { reservedTtlSeconds: 900, expirySchedule: '*/15 * * * * *' },
  giftCertificates: { validityDays: 365 },
  carriers: [
    simulatedParlayxCarrier('alpha', 'Alpha Telecom', '+82101'),
    simulatedParlayxCarrier('bravo', 'Bravo Mobile', '+82102'),
  ],
};
