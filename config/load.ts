import { readFileSync } from 'node:fs';
import { configSchema, type GatewayConfig } from './schema.js';
import { defaults } from './default.js';
import { production } from './production.js';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** Environment variables and the config key each one sets. */
const ENV_KEYS: ReadonlyArray<[string, string[]]> = [
  ['PORT', ['port']],
  ['PUBLIC_URL', ['publicUrl']],
  ['SIMULATOR_PORT', ['simulator', 'port']],
  ['DATABASE_URL', ['databaseUrl']],
  ['DATABASE_POOL_SIZE', ['databasePoolSize']],
  ['DATA_DIR', ['dataDir']],
  ['REDIS_URL', ['redisUrl']],
  ['REDIS_PREFIX', ['redisPrefix']],
  ['REDIS_SENTINELS', ['redisSentinels']],
  ['REDIS_MASTER_NAME', ['redisMasterName']],
  ['OPERATOR_TOKEN', ['operatorToken']],
  ['MASTER_KEY', ['masterKey']],
  ['TOKEN_TTL_SECONDS', ['tokenTtlSeconds']],
  ['LOG_LEVEL', ['logLevel']],
  ['SHUTDOWN_TIMEOUT_SECONDS', ['shutdownTimeoutSeconds']],
  ['METRICS_PORT', ['metricsPort']],
  ['METRICS_HOST', ['metricsHost']],
  ['TRUST_PROXY', ['trustProxy']],
  ['OTP_TTL_SECONDS', ['otp', 'ttlSeconds']],
  ['RESERVED_TTL_SECONDS', ['payments', 'reservedTtlSeconds']],
  ['EXPIRY_SCHEDULE', ['payments', 'expirySchedule']],
  ['MAX_PAYMENT_MINOR', ['limits', 'maxPaymentMinor']],
  ['PAYMENT_REQUESTS_PER_MERCHANT_PER_SECOND', ['limits', 'paymentRequestsPerMerchantPerSecond']],
  ['CODES_PER_MERCHANT_PER_MINUTE', ['limits', 'codesPerMerchantPerMinute']],
  ['READ_REQUESTS_PER_MERCHANT_PER_SECOND', ['limits', 'readRequestsPerMerchantPerSecond']],
  ['WRITE_REQUESTS_PER_MERCHANT_PER_SECOND', ['limits', 'writeRequestsPerMerchantPerSecond']],
  ['RECOVERY_SCHEDULE', ['recovery', 'schedule']],
  ['RECOVERY_GRACE_SECONDS', ['recovery', 'pendingGraceSeconds']],
  ['RECOVERY_MAX_ATTEMPTS', ['recovery', 'maxAttempts']],
  ['RECOVERY_RETRY_AFTER_SECONDS', ['recovery', 'retryAfterSeconds']],
  ['MERCHANT_SECRET_GRACE_SECONDS', ['merchants', 'secretGraceSeconds']],
  ['OPERATOR_SESSION_IDLE_MINUTES', ['operators', 'sessionIdleMinutes']],
  ['OPERATOR_SESSION_HOURS', ['operators', 'sessionHours']],
  ['NOTIFICATIONS_CONCURRENCY', ['notifications', 'concurrency']],
  ['NOTIFICATIONS_PER_MERCHANT_CONCURRENCY', ['notifications', 'perMerchantConcurrency']],
  ['NOTIFICATIONS_KEEP_DAYS', ['notifications', 'keepDays']],
  ['NOTIFICATIONS_DNS_TIMEOUT_MS', ['notifications', 'dnsTimeoutMs']],
  ['OAUTH_FAILED_ATTEMPTS_PER_ADDRESS_PER_MINUTE', ['oauth', 'failedAttemptsPerAddressPerMinute']],
  ['OAUTH_CIBA_POLL_INTERVAL_SECONDS', ['oauth', 'cibaPollIntervalSeconds']],
  ['PHONE_USER_COOLING_OFF_HOURS', ['phoneUsers', 'coolingOffHours']],
  ['RISK_REVIEW_HOLD_MINUTES', ['risk', 'reviewHoldMinutes']],
  ['RISK_SIGNAL_CACHE_SECONDS', ['risk', 'signalCacheSeconds']],
  ['RISK_SIGNAL_TIMEOUT_MS', ['risk', 'signalTimeoutMs']],
  ['SUBSCRIPTION_REMINDER_LEAD_DAYS', ['subscriptions', 'reminderLeadDays']],
  ['SUBSCRIPTION_SCHEDULE', ['subscriptions', 'schedule']],
  ['OPERATOR_FAILED_ATTEMPTS_PER_ADDRESS_PER_MINUTE', ['operators', 'failedAttemptsPerAddressPerMinute']],
  ['OPERATOR_FAILED_ATTEMPTS_PER_ACCOUNT_PER_MINUTE', ['operators', 'failedAttemptsPerAccountPerMinute']],
  ['GIFT_CODE_FAILED_ATTEMPTS_PER_MINUTE', ['giftCertificates', 'failedAttemptsPerMinute']],
  ['MERCHANT_WRONG_CODE_RATIO', ['otp', 'merchantFailureRatio']],
  ['MERCHANT_WRONG_CODE_MIN_VALIDATIONS', ['otp', 'merchantMinValidations']],
  ['MERCHANT_WRONG_CODE_WINDOW_SECONDS', ['otp', 'merchantWindowSeconds']],
  ['INSTANCE_NAME', ['jobs', 'instanceName']],
  ['JOB_RUN_LOG_KEEP_HOURS', ['jobs', 'runLogKeepHours']],
];

type Tree = { [key: string]: unknown };

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Tree, override: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? merge(current, value) : value;
  }
  return out;
}

function setPath(tree: Tree, path: string[], value: unknown): Tree {
  const [head, ...rest] = path;
  if (head === undefined) return tree;
  const child = tree[head];
  return { ...tree, [head]: rest.length === 0 ? value : setPath(isTree(child) ? child : {}, rest, value) };
}

/**
 * Builds the configuration: defaults, then the environment's file, then `overrides` (tests), then
 * environment variables. Any invalid value throws one ConfigError naming the key.
 */
export function loadConfig(env: Env = process.env, overrides: Tree = {}): GatewayConfig {
  let tree: Tree = merge(defaults, env.GATEWAY_ENV === 'production' ? production : {});
  if (env.GATEWAY_ENV && env.GATEWAY_ENV !== 'production') tree.env = env.GATEWAY_ENV;
  if (env.CARRIERS_FILE) tree.carriers = readCarriersFile(env.CARRIERS_FILE);
  tree = merge(tree, overrides);
  for (const [name, path] of ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') tree = setPath(tree, path, value);
  }
  if (env.SIMULATOR) tree = setPath(tree, ['simulator', 'enabled'], parseSwitch('SIMULATOR', env.SIMULATOR));
  if (env.ALLOW_HTTP_SINKS)
    tree = setPath(tree, ['notifications', 'allowHttpSinks'], parseSwitch('ALLOW_HTTP_SINKS', env.ALLOW_HTTP_SINKS));
  if (env.INSECURE_TRANSPORT)
    tree = setPath(tree, ['insecureTransport'], parseSwitch('INSECURE_TRANSPORT', env.INSECURE_TRANSPORT));

  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || '(root)';
    const variable = ENV_KEYS.find(([, path]) => path.join('.') === key)?.[0];
    throw new ConfigError(
      `invalid configuration: ${key}${variable ? ` (${variable})` : ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const config = parsed.data;
  if (config.redisSentinels && !config.redisMasterName)
    throw new ConfigError(
      'invalid configuration: redisMasterName (REDIS_MASTER_NAME): required with REDIS_SENTINELS (the name the sentinels monitor)',
    );
  requireCarrierCredentials(config, env);
  if (config.env === 'production') requireProductionSettings(config);
  // Outside the demo a generated key would sit in the database it protects: whoever reads a
  // backup would read every code and secret with it.
  if (config.databaseUrl && !config.masterKey && config.env !== 'demo')
    throw new ConfigError(
      'invalid configuration: masterKey (MASTER_KEY): required with DATABASE_URL outside the demo (a generated key would be stored in the database it protects)',
    );
  return config;
}

/** What production refuses to start without: each missing one is a line naming its variable. */
const REQUIRED_IN_PRODUCTION: ReadonlyArray<[string, string, (c: GatewayConfig) => unknown]> = [
  ['databaseUrl', 'DATABASE_URL', (c) => c.databaseUrl],
  ['redisUrl', 'REDIS_URL', (c) => c.redisUrl ?? c.redisSentinels],
  ['masterKey', 'MASTER_KEY', (c) => c.masterKey],
  ['operatorToken', 'OPERATOR_TOKEN', (c) => c.operatorToken],
  ['publicUrl', 'PUBLIC_URL', (c) => c.publicUrl],
  ['carriers', 'CARRIERS_FILE', (c) => c.carriers.length > 0],
];

/**
 * Production never falls back to what is fine for a demo on one machine: an embedded database, an
 * in-process cache, generated secrets, the request's own host in links, simulated carriers.
 */
function requireProductionSettings(config: GatewayConfig): void {
  for (const [key, variable, present] of REQUIRED_IN_PRODUCTION) {
    if (!present(config)) throw new ConfigError(`invalid configuration: ${key} (${variable}): required in production`);
  }
  if (config.simulator.enabled)
    throw new ConfigError('invalid configuration: simulator.enabled (SIMULATOR): must be off in production');
  if (config.notifications.allowHttpSinks)
    throw new ConfigError(
      'invalid configuration: notifications.allowHttpSinks (ALLOW_HTTP_SINKS): must be off in production',
    );
  if (config.insecureTransport) return;
  // Credentials and codes travel to carriers, and links to phone users: over TLS only, unless a
  // stand-in carrier on a private network is said out loud (INSECURE_TRANSPORT=on).
  if (!config.publicUrl?.startsWith('https://'))
    throw new ConfigError('invalid configuration: publicUrl (PUBLIC_URL): must be https:// in production');
  for (const carrier of config.carriers) {
    const urls = [
      ...Object.values(carrier.endpoints),
      ...(carrier.statement.url ? [carrier.statement.url] : []),
      ...(carrier.signals ? [carrier.signals.simSwapCheck, carrier.signals.tenureCheck] : []),
    ];
    const plain = urls.find((url) => !url.startsWith('https://'));
    if (plain)
      throw new ConfigError(
        `invalid configuration: carriers.${carrier.id} (CARRIERS_FILE): ${plain} is not https:// (INSECURE_TRANSPORT=on only for a stand-in carrier)`,
      );
  }
}

/** A carrier's credentials are named by variable; a name without a value is a mistake, not "no credentials". */
function requireCarrierCredentials(config: GatewayConfig, env: Env): void {
  for (const carrier of config.carriers) {
    for (const variable of [carrier.credentials.usernameEnv, carrier.credentials.passwordEnv]) {
      if (variable !== undefined && !env[variable])
        throw new ConfigError(`invalid configuration: carriers.${carrier.id}.credentials (${variable}): not set`);
    }
  }
}

function parseSwitch(name: string, value: string): boolean {
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  const key =
    { SIMULATOR: 'simulator.enabled', INSECURE_TRANSPORT: 'insecureTransport' }[name] ?? 'notifications.allowHttpSinks';
  throw new ConfigError(`invalid configuration: ${key} (${name}): expected on or off, got "${value}"`);
}

function readCarriersFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `invalid configuration: carriers (CARRIERS_FILE): cannot read ${path}: ${(error as Error).message}`,
    );
  }
}
