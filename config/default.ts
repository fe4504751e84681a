import type { CarrierConfig, OneapiCarrierConfig, ParlayxCarrierConfig } from './schema.js';

/**
 * Settings every environment starts from. The demo carriers live on the simulator; a production
 * configuration replaces them (see production.ts) and never enables the simulator.
 */
type Common = Omit<CarrierConfig, 'protocol' | 'endpoints'>;

function simulated(id: string, name: string, prefix: string, capabilities: CarrierConfig['capabilities']): Common {
  return {
    id,
    name,
    prefixes: [prefix],
    smsSenderName: 'PAY',
    credentials: {},
    // The demo generates it for the in-process simulator when unset (see main.ts).
    inboundSecretEnv: 'SIMULATOR_INBOUND_SECRET',
    timeZone: 'Asia/Seoul',
    timeoutsMs: {
      reserveAmount: 3000,
      chargeReservation: 5000,
      releaseReservation: 3000,
      chargeAmount: 5000,
      refundAmount: 5000,
      sendSms: 3000,
      statusQuery: 3000,
    },
    retry: { attempts: 3, backoffMs: 200 },
    capabilities,
    monthlyLimitMinor: 1_000_000,
    revenueShareRate: 0.3,
    refundWindow: 'same_month',
    circuitBreaker: { failureThreshold: 20, openSeconds: 10 },
    statement: { format: 'csv', url: `{simulatorUrl}/simulator/v1/carriers/${id}/statements/{period}.csv` },
    signals: {
      simSwapCheck: '{simulatorUrl}/sim-swap/v1/check',
      tenureCheck: '{simulatorUrl}/kyc-tenure/v0.1/check-tenure',
    },
  };
}

function parlayx(common: Common): ParlayxCarrierConfig {
  const base = `{simulatorUrl}/parlayx/${common.id}`;
  return {
    ...common,
    protocol: 'parlayx',
    endpoints: {
      amountCharging: `${base}/AmountCharging`,
      reserveAmountCharging: `${base}/ReserveAmountCharging`,
      sendSms: `${base}/SendSms`,
    },
  };
}

function oneapi(common: Common): OneapiCarrierConfig {
  const base = `{simulatorUrl}/oneapi/${common.id}`;
  return {
    ...common,
    protocol: 'oneapi',
    endpoints: { payment: `${base}/payment/v1`, sms: `${base}/smsmessaging/v1` },
  };
}

export const defaults = {
  env: 'demo',
  port: 8080,
  databasePoolSize: 10,
  dataDir: './.data',
  redisPrefix: 'cbg:',
  tokenTtlSeconds: 3600,
  phoneUsers: { coolingOffHours: 24 },
  subscriptions: { schedule: '*/10 * * * * *', reminderLeadDays: 3, retryDelaysHours: [24, 48, 96] },
  oauth: { failedAttemptsPerAddressPerMinute: 30, slowChecksPerClientPerMinute: 5, cibaPollIntervalSeconds: 5 },
  merchants: { secretGraceSeconds: 86_400 },
  risk: {
    reviewHoldMinutes: 30,
    signalCacheSeconds: 300,
    signalTimeoutMs: 800,
    // The default rules (README, "Cash-out abuse"): gift certificates are what brokers buy.
    rules: {
      payments: [
        {
          id: 'gift-after-sim-swap',
          description: 'Gift certificates billed to a SIM swapped in the last three days',
          enabled: true,
          when: { categories: ['gift_certificate'], simSwappedWithinHours: 72 },
          decision: 'deny',
        },
        {
          id: 'gift-on-new-line',
          description: 'Gift certificates billed to a line younger than 30 days',
          enabled: true,
          when: { categories: ['gift_certificate'], lineTenureBelowDays: 30 },
          decision: 'review',
        },
        {
          id: 'gift-burst',
          description: 'A third gift certificate within an hour',
          enabled: true,
          when: { categories: ['gift_certificate'], hourlyPurchasesAtLeast: 3 },
          decision: 'review',
        },
        {
          id: 'gift-day-spend',
          description: 'Gift certificates worth 200,000 or more within a day',
          enabled: true,
          when: { categories: ['gift_certificate'], dailySpendAtLeastMinor: 200_000 },
          decision: 'review',
        },
        {
          id: 'large-first-gift',
          description: "A number's first purchase ever, a gift certificate of 100,000 or more",
          enabled: true,
          when: { categories: ['gift_certificate'], firstPurchase: true, amountAtLeastMinor: 100_000 },
          decision: 'review',
        },
        {
          // Review, not deny, and gift certificates only: anyone who knows a number can type
          // wrong codes for it, and must not shut its owner out of carrier billing.
          id: 'code-guessing',
          description: 'A gift certificate after ten or more wrong codes for the number within a day',
          enabled: true,
          when: { categories: ['gift_certificate'], failedCodesLastDayAtLeast: 10 },
          decision: 'review',
        },
      ],
      redemptions: [
        {
          id: 'collector-account',
          description: 'One account redeeming certificates bought by three or more numbers',
          enabled: true,
          when: { accountBuyersAtLeast: 3 },
          decision: 'review',
        },
        {
          id: 'collector-address',
          description: 'One address redeeming certificates bought by five or more numbers',
          enabled: true,
          when: { addressBuyersAtLeast: 5 },
          decision: 'review',
        },
        {
          id: 'quick-other-redeemer',
          description: "Redeemed within 30 minutes of issue by an account other than the buyer's first redeemer",
          enabled: true,
          when: { issuedWithinMinutes: 30, notBuyersFirstRedeemer: true },
          decision: 'review',
        },
        {
          id: 'flagged-redeemer',
          description: 'An account or address an operator refused before',
          enabled: true,
          when: { flaggedRedeemer: true },
          decision: 'review',
        },
      ],
    },
  },
  operators: {
    failedAttemptsPerAddressPerMinute: 5,
    failedAttemptsPerAccountPerMinute: 10,
    sessionIdleMinutes: 30,
    sessionHours: 8,
  },
  logLevel: 'info',
  simulator: { enabled: true, port: 8090 },
  currencies: ['KRW'],
  otp: {
    ttlSeconds: 300,
    maxAttempts: 5,
    maxSends: 3,
    resendCooldownSeconds: 30,
    sendsPerPhonePerHour: 10,
    merchantFailureRatio: 0.5,
    merchantMinValidations: 20,
    merchantWindowSeconds: 600,
  },
  payments: { reservedTtlSeconds: 900, expirySchedule: '*/15 * * * * *' },
  giftCertificates: { validityDays: 365, failedAttemptsPerMinute: 10 },
  limits: {
    maxPaymentMinor: 500_000,
    codesPerMerchantPerMinute: 600,
    paymentRequestsPerMerchantPerSecond: 50,
    readRequestsPerMerchantPerSecond: 100,
    writeRequestsPerMerchantPerSecond: 100,
    // What Korean carriers did in 2025 against 소액결제 현금화: gift certificates capped lower.
    categoryMonthlyCapsMinor: { gift_certificate: 300_000 },
  },
  reconciliation: { schedule: '0 0 3 2 * *' },
  jobs: { runLogKeepHours: 48 },
  notifications: {
    allowHttpSinks: false,
    schedule: '* * * * * *',
    timeoutMs: 5000,
    dnsTimeoutMs: 2000,
    retryHours: 24,
    concurrency: 16,
    perMerchantConcurrency: 4,
    keepDays: 30,
  },
  recovery: { schedule: '*/10 * * * * *', pendingGraceSeconds: 60, maxAttempts: 5, retryAfterSeconds: 10 },
  // The three simulated carriers of CONTRACTS §4: alpha can neither be asked nor recognises a
  // repeated reference, bravo recognises references, charlie answers status queries.
  carriers: [
    parlayx(simulated('alpha', 'Alpha Telecom', '+82101', { statusQuery: false, idempotentReferences: false })),
    parlayx(simulated('bravo', 'Bravo Mobile', '+82102', { statusQuery: false, idempotentReferences: true })),
    oneapi(simulated('charlie', 'Charlie Networks', '+82103', { statusQuery: true, idempotentReferences: false })),
  ],
};
