import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
/** What merchants sell (CONTRACTS §8): gift certificates are what cash-out brokers buy. */
export const MERCHANT_CATEGORIES = [
  'gift_certificate',
  'digital_content',
  'game',
  'subscription_service',
  'other',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];
const positiveInt = z.coerce.number().int().positive();
/** The longest a rotated-out client secret may keep working: a week. */
export const MAX_SECRET_GRACE_SECONDS = 604_800;

const carrierCommon = {
  id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  name: z.string().min(1),
  /** E.164 prefixes this carrier serves; the longest matching prefix wins. */
  prefixes: z.array(z.string().regex(/^\+[0-9]{1,14}$/)).min(1),
  smsSenderName: z.string().min(1).max(11),
  /** Names of the environment variables holding the carrier's credentials (never the values). */
  credentials: z.object({ usernameEnv: z.string().optional(), passwordEnv: z.string().optional() }).default({}),
  /**
   * Name of the environment variable holding the secret the carrier presents (HTTP Basic, user =
   * carrier id) when it delivers a phone user's SMS reply; without one, its deliveries are refused.
   */
  inboundSecretEnv: z.string().optional(),
  /** The carrier's time zone (IANA): subscriptions renew on its calendar. */
  timeZone: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Seoul')
    .default('Asia/Seoul'),
  timeoutsMs: z.object({
    reserveAmount: positiveInt,
    chargeReservation: positiveInt,
    releaseReservation: positiveInt,
    chargeAmount: positiveInt,
    refundAmount: positiveInt,
    sendSms: positiveInt,
    statusQuery: positiveInt,
  }),
  retry: z.object({ attempts: z.number().int().min(1).max(10), backoffMs: z.number().int().min(0) }),
  /** What the carrier offers recovery: a status query, or recognising a repeated reference. */
  capabilities: z.object({ statusQuery: z.boolean(), idempotentReferences: z.boolean() }),
  /** Carrier-billing limit per subscriber and calendar month, in minor units. */
  monthlyLimitMinor: positiveInt,
  /** Share of each charge the carrier keeps (0.3 = 30 %). */
  revenueShareRate: z.number().min(0).max(1),
  /** How long after a charge a refund is accepted. */
  refundWindow: z.enum(['same_month']),
  /** After this many consecutive failed calls new payments fail fast for `openSeconds`. */
  circuitBreaker: z.object({ failureThreshold: positiveInt, openSeconds: positiveInt }),
  /** The monthly settlement statement: its format, and where to fetch it (`{period}` = YYYY-MM). */
  statement: z.object({ format: z.enum(['csv', 'header-trailer']), url: z.string().min(1).optional() }),
  /**
   * The carrier's CAMARA SIM Swap `check` and KYC Tenure `check-tenure` endpoints, which the risk
   * rules ask (CONTRACTS §8); without them those rules never fire for the carrier's numbers.
   */
  signals: z.object({ simSwapCheck: z.string().min(1), tenureCheck: z.string().min(1) }).optional(),
};

/** `{simulatorUrl}` in an endpoint is replaced by the in-process simulator's address. */
const parlayxCarrier = z.object({
  ...carrierCommon,
  protocol: z.literal('parlayx'),
  endpoints: z.object({
    amountCharging: z.string().min(1),
    reserveAmountCharging: z.string().min(1),
    sendSms: z.string().min(1),
  }),
});

const oneapiCarrier = z.object({
  ...carrierCommon,
  protocol: z.literal('oneapi'),
  /** Base URLs of the OneAPI Payment and SMS resources. */
  endpoints: z.object({ payment: z.string().min(1), sms: z.string().min(1) }),
});

const minor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** CAMARA SIM Swap's `maxAge` goes up to 2,400 hours. */
const swapHours = z.number().int().positive().max(2400);

const ruleId = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes');

/** A payment rule of the cash-out defence (src/domain/risk.ts says what each condition means). */
const paymentRule = z.strictObject({
  id: ruleId,
  description: z.string().min(1).max(200),
  enabled: z.boolean().default(true),
  when: z.strictObject({
    categories: z.array(z.enum(MERCHANT_CATEGORIES)).min(1).optional(),
    amountAtLeastMinor: minor.optional(),
    hourlyPurchasesAtLeast: z.number().int().min(1).max(1000).optional(),
    hourlySpendAtLeastMinor: minor.optional(),
    dailyPurchasesAtLeast: z.number().int().min(1).max(1000).optional(),
    dailySpendAtLeastMinor: minor.optional(),
    firstPurchase: z.boolean().optional(),
    failedCodesLastDayAtLeast: z.number().int().min(1).max(1000).optional(),
    simSwappedWithinHours: swapHours.optional(),
    lineTenureBelowDays: z.number().int().positive().max(3650).optional(),
  }),
  decision: z.enum(['review', 'deny']),
  /** GET's hit counts, accepted back and dropped, so a rule set read can be put again as it is. */
  hits: z
    .unknown()
    .transform(() => undefined)
    .optional(),
});

/** A redemption rule of the cash-out defence (src/domain/risk.ts says what each condition means). */
const redemptionRule = z.strictObject({
  id: ruleId,
  description: z.string().min(1).max(200),
  enabled: z.boolean().default(true),
  when: z.strictObject({
    issuedWithinMinutes: z
      .number()
      .int()
      .positive()
      .max(7 * 24 * 60)
      .optional(),
    notBuyersFirstRedeemer: z.literal(true).optional(),
    accountBuyersAtLeast: z.number().int().min(2).max(1000).optional(),
    addressBuyersAtLeast: z.number().int().min(2).max(1000).optional(),
    flaggedRedeemer: z.boolean().optional(),
  }),
  decision: z.literal('review'),
  hits: z
    .unknown()
    .transform(() => undefined)
    .optional(),
});

const uniqueIds = (rules: ReadonlyArray<{ id: string }>) => new Set(rules.map((r) => r.id)).size === rules.length;

/** The rule set, as configured and as the operator API replaces it whole. */
export const riskRulesSchema = z.strictObject({
  payments: z.array(paymentRule).max(100).refine(uniqueIds, 'rule ids must be unique'),
  redemptions: z.array(redemptionRule).max(100).refine(uniqueIds, 'rule ids must be unique'),
});
export type RiskRules = z.infer<typeof riskRulesSchema>;

const carrier = z.discriminatedUnion('protocol', [parlayxCarrier, oneapiCarrier]);

export const configSchema = z.object({
  env: z.enum(['demo', 'test', 'production']),
  port,
  /** The gateway's address as phone users reach it (for the confirmation page's URL); default: the request's host. */
  publicUrl: z.url().optional(),
  bodyLimit: z.string().default('32kb'),
  /**
   * On SIGTERM, how long requests in flight and job runs may take to finish before connections are
   * cut and the pools closed.
   */
  shutdownTimeoutSeconds: positiveInt.max(600).default(20),
  /**
   * Production allows http:// for PUBLIC_URL and carrier endpoints only with this on: a stand-in
   * carrier on a private network (compose, CI), never real carriers.
   */
  insecureTransport: z.boolean().default(false),
  /**
   * Which proxies in front of the gateway to believe about the client's address and https: a
   * number of hops, or addresses and subnets (express' "trust proxy"). Unset: none, so behind a
   * load balancer every client would look like the balancer to the guessing brakes.
   */
  trustProxy: z.string().min(1).optional(),
  /** A port of its own for Prometheus, serving /metrics without the operator token (keep it internal). */
  metricsPort: port.optional(),
  /** Where METRICS_PORT listens: loopback unless the scraper must reach it from outside (a pod's IP). */
  metricsHost: z.string().min(1).default('127.0.0.1'),
  /**
   * A PostgreSQL URL; libpq's several hosts are allowed (`postgres://h1:5432,h2:5433/db?
   * target_session_attrs=read-write`), which WHATWG URL parsing refuses, hence the pattern.
   */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL')
    .optional(),
  /**
   * Connections to the PostgreSQL server per gateway process. More than the server has cores to
   * run them only adds contention: on the 2-core bench machine 8 carried about a tenth more flows
   * than 20.
   */
  databasePoolSize: positiveInt.max(200),
  dataDir: z.string().min(1),
  redisUrl: z.url().optional(),
  /**
   * Redis behind Sentinel: the sentinels' `host:port` list, comma-separated, and the name they
   * monitor the primary under; the gateway follows the primary they name. REDIS_URL, if set as
   * well, then gives only the user, password and TLS (rediss://) of the primary and replicas.
   */
  redisSentinels: z
    .string()
    .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be host:port[,host:port…]')
    .transform((list) =>
      list.split(',').map((entry) => {
        const at = entry.lastIndexOf(':');
        return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
      }),
    )
    .optional(),
  redisMasterName: z.string().min(1).max(100).optional(),
  /** Prefix of every Redis key, so several gateways (or test runs) can share one Redis. */
  redisPrefix: z.string().min(1).max(50),
  /** The bootstrap admin's token: at least 32 characters, not a word repeated (`openssl rand -base64 32`). */
  operatorToken: z
    .string()
    .min(32)
    .refine((t) => new Set(t).size >= 12, 'must be random (at least 12 different characters): openssl rand -base64 32')
    .optional(),
  /** Root of every key the gateway derives (OTP HMAC, token hashes, gift-code encryption); ≥ 32 bytes hex. */
  masterKey: z
    .string()
    // An odd count would be cut silently by Buffer.from(…, 'hex'): refused instead.
    .regex(/^(?:[0-9a-fA-F]{2}){32,}$/, 'must be an even number of hex characters, at least 64')
    .optional(),
  tokenTtlSeconds: positiveInt,
  /** The token endpoint's brakes, applied before any secret is checked. */
  oauth: z.object({
    /** Failed token requests per client address a minute; then 429 for the rest of it. */
    failedAttemptsPerAddressPerMinute: positiveInt,
    /** Checks against a client's old scrypt hash a minute (each costs ~50 ms of CPU). */
    slowChecksPerClientPerMinute: positiveInt,
    /** How often a merchant may poll for a CIBA token (`interval`); sooner is `slow_down`. */
    cibaPollIntervalSeconds: positiveInt,
  }),
  /** Subscriptions (CONTRACTS §6). */
  subscriptions: z.object({
    /** When the renewal job runs (cron, seconds first). */
    schedule: z.string().min(1),
    /** How long before a renewal the phone user is reminded by SMS. */
    reminderLeadDays: z.coerce.number().int().min(0).max(30),
    /** After a declined renewal, the tries again (hours after the last one); past them, suspended. */
    retryDelaysHours: z
      .array(
        z
          .number()
          .int()
          .positive()
          .max(24 * 31),
      )
      .max(10),
  }),
  /** Phone users' own controls (CONTRACTS §7). */
  phoneUsers: z.object({
    /** How long after UNBLOCK (or raising one's own limit) the change takes effect. */
    coolingOffHours: z.coerce.number().int().min(0).max(720),
  }),
  /** The cash-out defence (CONTRACTS §8). */
  risk: z.object({
    /** The rules until an operator replaces them (GET/PUT /admin/v1/risk/rules). */
    rules: riskRulesSchema,
    /** How long a payment held for review keeps its reservation before it lapses (denied, released). */
    reviewHoldMinutes: positiveInt.max(24 * 60),
    /** How long a carrier's SIM swap or tenure answer for a number is reused. */
    signalCacheSeconds: z.coerce.number().int().min(0).max(86_400),
    /** How long a payment waits for those answers; past it, the rules that need them do not fire. */
    signalTimeoutMs: positiveInt.max(10_000),
  }),
  merchants: z.object({
    /** How long a merchant's old client secret keeps working after a rotation, unless the operator says otherwise. */
    secretGraceSeconds: z.coerce.number().int().min(0).max(MAX_SECRET_GRACE_SECONDS),
  }),
  /** Operator accounts: sign-in brakes and dashboard sessions. */
  operators: z.object({
    /** Wrong operator tokens per client address a minute (sign-in and the operator API); then 429. */
    failedAttemptsPerAddressPerMinute: positiveInt,
    /** Wrong tokens naming one account a minute, from anywhere; further ones are answered 429. */
    failedAttemptsPerAccountPerMinute: positiveInt,
    /** A dashboard session ends after this long without use… */
    sessionIdleMinutes: positiveInt,
    /** …and this long after sign-in in any case. */
    sessionHours: positiveInt,
  }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  simulator: z.object({ enabled: z.boolean(), port }),
  currencies: z.array(z.string().regex(/^[A-Z]{3}$/)).min(1),
  otp: z.object({
    ttlSeconds: positiveInt,
    maxAttempts: positiveInt,
    maxSends: positiveInt,
    resendCooldownSeconds: z.number().int().min(0),
    sendsPerPhonePerHour: positiveInt,
    /**
     * A merchant relaying more wrong codes than this share of its validations (at least
     * `merchantMinValidations` of them in `merchantWindowSeconds`) may be guessing across many
     * numbers: its validations are paused for the rest of the window.
     */
    merchantFailureRatio: z.coerce.number().gt(0).max(1),
    merchantMinValidations: positiveInt,
    merchantWindowSeconds: positiveInt,
  }),
  payments: z.object({
    reservedTtlSeconds: positiveInt,
    /** node-cron expression (with seconds) of the expiry job. */
    expirySchedule: z.string().min(1),
  }),
  giftCertificates: z.object({
    validityDays: positiveInt,
    /** Failed lookups/redemptions per merchant and client address per minute before 429. */
    failedAttemptsPerMinute: positiveInt,
  }),
  limits: z.object({
    /** Largest single payment, in minor units (CAMARA 422 CARRIER_BILLING.UNAUTHORIZED_AMOUNT above). */
    maxPaymentMinor: positiveInt,
    /** SMS-pumping guard: codes one merchant may have sent per minute. */
    codesPerMerchantPerMinute: positiveInt,
    /** prepare/create requests one merchant may make per second. */
    paymentRequestsPerMerchantPerSecond: positiveInt,
    /** Any CAMARA read (GET), and any write, one merchant may make per second: 429 beyond. */
    readRequestsPerMerchantPerSecond: positiveInt,
    writeRequestsPerMerchantPerSecond: positiveInt,
    /**
     * Per merchant category, what one phone number may spend a calendar month at all merchants of
     * that category together, in minor units (next to the carrier's limit for everything).
     */
    categoryMonthlyCapsMinor: z.partialRecord(z.enum(MERCHANT_CATEGORIES), positiveInt),
  }),
  recovery: z.object({
    /** node-cron expression (with seconds) of the recovery job. */
    schedule: z.string().min(1),
    /** A charge still `pending` this long after its intent was written was left by a dead process. */
    pendingGraceSeconds: positiveInt,
    /** Tries before a payment whose charge cannot be resolved goes to manual review. */
    maxAttempts: positiveInt,
    /** Wait between two tries on the same charge. */
    retryAfterSeconds: positiveInt,
  }),
  notifications: z.object({
    /**
     * CAMARA requires https sinks on public addresses; this switch allows http ones and private
     * addresses both, for local development and tests only (refused in production).
     */
    allowHttpSinks: z.boolean(),
    /** node-cron expression (with seconds) of the delivery job. */
    schedule: z.string().min(1),
    timeoutMs: positiveInt,
    /** A sink's name must resolve within this; a slow DNS server cannot hold a delivery. */
    dnsTimeoutMs: positiveInt,
    /** How long an undeliverable notification is retried (exponential backoff) before it fails. */
    retryHours: positiveInt,
    /** At most this many notifications are in flight at once (a payment's always in order)… */
    concurrency: positiveInt,
    /** …and at most this many of one merchant, so one hanging sink cannot hold every slot. */
    perMerchantConcurrency: positiveInt,
    /** Delivered or failed notifications are deleted after this many days. */
    keepDays: positiveInt,
  }),
  jobs: z.object({
    /** How this instance signs its job runs in the run log; default host name and process id. */
    instanceName: z.string().min(1).max(100).optional(),
    /** Job runs are kept in the run log this long (at most a year). */
    runLogKeepHours: positiveInt.max(8760),
  }),
  reconciliation: z.object({
    /** node-cron expression (with seconds) of the monthly statement job; default the 2nd, 03:00. */
    schedule: z.string().min(1),
  }),
  carriers: z.array(carrier),
  /** Numbers ported away from the carrier their prefix names: E.164 number → carrier id. */
  portedNumbers: z.record(z.string().regex(/^\+[1-9][0-9]{4,14}$/), z.string()).default({}),
});

export type GatewayConfig = z.infer<typeof configSchema>;
export type CarrierConfig = GatewayConfig['carriers'][number];
export type ParlayxCarrierConfig = z.infer<typeof parlayxCarrier>;
export type OneapiCarrierConfig = z.infer<typeof oneapiCarrier>;
