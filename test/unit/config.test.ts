import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaults } from '../../config/default.js';
import { ConfigError, loadConfig } from '../../config/load.js';

describe('configuration', () => {
  it('starts from the defaults of CONTRACTS §0', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.simulator).toEqual({ enabled: true, port: 8090 });
    expect(config.tokenTtlSeconds).toBe(3600);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.carriers.map((c) => [c.id, c.protocol])).toEqual([
      ['alpha', 'parlayx'],
      ['bravo', 'parlayx'],
      ['charlie', 'oneapi'],
    ]);
  });

  it("sets one key of a group from the environment and keeps the group's other defaults", () => {
    const config = loadConfig({ OPERATOR_SESSION_IDLE_MINUTES: '45', NOTIFICATIONS_KEEP_DAYS: '7' });
    expect(config.operators).toMatchObject({ sessionIdleMinutes: 45, sessionHours: 8 });
    expect(config.notifications).toMatchObject({ keepDays: 7, concurrency: 16 });
  });

  it('reads Redis Sentinel and a DATABASE_URL listing several hosts', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://gw@db-a:5432,db-b:5432/gateway?target_session_attrs=read-write',
      MASTER_KEY: 'ab'.repeat(32),
      REDIS_SENTINELS: 'sentinel-a:26379,10.0.0.7:26380',
      REDIS_MASTER_NAME: 'gateway',
    });
    expect(config.redisSentinels).toEqual([
      { host: 'sentinel-a', port: 26379 },
      { host: '10.0.0.7', port: 26380 },
    ]);
    expect(config.databaseUrl).toBe('postgres://gw@db-a:5432,db-b:5432/gateway?target_session_attrs=read-write');
    expect(() => loadConfig({ REDIS_SENTINELS: 'sentinel-a:26379' })).toThrow(
      /^invalid configuration: redisMasterName \(REDIS_MASTER_NAME\): required with REDIS_SENTINELS/,
    );
  });

  it('takes environment variables over the defaults', () => {
    const config = loadConfig({
      PORT: '9000',
      SIMULATOR: 'off',
      TOKEN_TTL_SECONDS: '60',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgres://x@localhost/db',
      DATABASE_POOL_SIZE: '6',
    });
    expect(config).toMatchObject({
      port: 9000,
      simulator: { enabled: false },
      tokenTtlSeconds: 60,
      logLevel: 'warn',
      databaseUrl: 'postgres://x@localhost/db',
      databasePoolSize: 6,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /^invalid configuration: port \(PORT\): /],
    [{ DATABASE_POOL_SIZE: '0' }, /^invalid configuration: databasePoolSize \(DATABASE_POOL_SIZE\): /],
    [{ TOKEN_TTL_SECONDS: '-5' }, /^invalid configuration: tokenTtlSeconds \(TOKEN_TTL_SECONDS\): /],
    [{ LOG_LEVEL: 'loud' }, /^invalid configuration: logLevel \(LOG_LEVEL\): /],
    [{ SIMULATOR: 'maybe' }, /^invalid configuration: simulator.enabled \(SIMULATOR\): /],
    [{ REDIS_URL: 'not a url' }, /^invalid configuration: redisUrl \(REDIS_URL\): /],
    [{ REDIS_SENTINELS: 'sentinel-a' }, /^invalid configuration: redisSentinels \(REDIS_SENTINELS\): /],
    [{ DATABASE_URL: 'mysql://db/gateway' }, /^invalid configuration: databaseUrl \(DATABASE_URL\): /],
    [{ MASTER_KEY: 'short' }, /^invalid configuration: masterKey \(MASTER_KEY\): /],
    // A guessable bootstrap token: short, or a word repeated to the length.
    [{ OPERATOR_TOKEN: 'x'.repeat(24) }, /^invalid configuration: operatorToken \(OPERATOR_TOKEN\): /],
    [
      { OPERATOR_TOKEN: 'password'.repeat(5) },
      /^invalid configuration: operatorToken \(OPERATOR_TOKEN\): must be random/,
    ],
    // An odd count of hex digits used to lose its last one without a word.
    [{ MASTER_KEY: 'a'.repeat(65) }, /^invalid configuration: masterKey \(MASTER_KEY\): must be an even number/],
    [
      { DATABASE_URL: 'postgres://db.example/gateway', GATEWAY_ENV: 'test' },
      /^invalid configuration: masterKey \(MASTER_KEY\): required with DATABASE_URL outside the demo/,
    ],
  ])('stops on a bad value with one line naming the key: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('ships the demo carriers as a carriers file for compose.yaml (placeholders for SIMULATOR_URL)', () => {
    const file = JSON.parse(readFileSync('config/simulated-carriers.json', 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(defaults.carriers)));
  });

  describe('production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbg-config-'));
    const carriersFile = join(dir, 'carriers.json');
    const carriers = JSON.stringify(defaults.carriers);
    writeFileSync(carriersFile, carriers.replaceAll('{simulatorUrl}', 'https://carrier.example'));
    const simulatedCarriersFile = join(dir, 'simulated.json');
    writeFileSync(simulatedCarriersFile, carriers);
    const complete = {
      GATEWAY_ENV: 'production',
      DATABASE_URL: 'postgres://gateway@db.internal/gateway',
      REDIS_URL: 'redis://cache.internal:6379',
      MASTER_KEY: 'a'.repeat(64),
      OPERATOR_TOKEN: 'Xq7pL2vR9sK4mW8nT3yB6cF1hJ5dG0aZ',
      PUBLIC_URL: 'https://pay.example.com',
      CARRIERS_FILE: carriersFile,
    };

    it('starts with every required variable', () => {
      expect(loadConfig(complete)).toMatchObject({ env: 'production', simulator: { enabled: false } });
    });

    it.each([
      ['DATABASE_URL', 'databaseUrl'],
      ['REDIS_URL', 'redisUrl'],
      ['MASTER_KEY', 'masterKey'],
      ['OPERATOR_TOKEN', 'operatorToken'],
      ['PUBLIC_URL', 'publicUrl'],
      ['CARRIERS_FILE', 'carriers'],
    ])('refuses to start without %s, in one line naming it', (variable, key) => {
      const env: Record<string, string | undefined> = { ...complete, [variable]: undefined };
      expect(() => loadConfig(env)).toThrow(
        new ConfigError(`invalid configuration: ${key} (${variable}): required in production`),
      );
    });

    it('refuses plain http to phone users and carriers, unless a stand-in carrier is said out loud', () => {
      expect(() => loadConfig({ ...complete, PUBLIC_URL: 'http://pay.example.com' })).toThrow(
        new ConfigError('invalid configuration: publicUrl (PUBLIC_URL): must be https:// in production'),
      );
      expect(() => loadConfig({ ...complete, CARRIERS_FILE: simulatedCarriersFile })).toThrow(
        /^invalid configuration: carriers\.alpha \(CARRIERS_FILE\): \{simulatorUrl\}\/parlayx\/alpha\/AmountCharging is not https:\/\//,
      );
      expect(loadConfig({ ...complete, CARRIERS_FILE: simulatedCarriersFile, INSECURE_TRANSPORT: 'on' }).env).toBe(
        'production',
      );
      // A SIM swap check over plain http would tell anyone on the way whose line to target.
      const plainSignals = join(dir, 'plain-signals.json');
      writeFileSync(
        plainSignals,
        carriers
          .replaceAll('{simulatorUrl}/sim-swap', 'http://signals.example/sim-swap')
          .replaceAll('{simulatorUrl}', 'https://carrier.example'),
      );
      expect(() => loadConfig({ ...complete, CARRIERS_FILE: plainSignals })).toThrow(
        /^invalid configuration: carriers\.alpha \(CARRIERS_FILE\): http:\/\/signals\.example\/sim-swap\/v1\/check is not https/,
      );
    });

    it('refuses a carrier credential variable that is named but not set', () => {
      const withCredentials = join(dir, 'credentials.json');
      writeFileSync(
        withCredentials,
        JSON.stringify(
          defaults.carriers.map((c) => ({ ...c, credentials: { usernameEnv: `${c.id.toUpperCase()}_USER` } })),
        ).replaceAll('{simulatorUrl}', 'https://carrier.example'),
      );
      expect(() => loadConfig({ ...complete, CARRIERS_FILE: withCredentials })).toThrow(
        new ConfigError('invalid configuration: carriers.alpha.credentials (ALPHA_USER): not set'),
      );
      expect(
        loadConfig({ ...complete, CARRIERS_FILE: withCredentials, ALPHA_USER: 'a', BRAVO_USER: 'b', CHARLIE_USER: 'c' })
          .carriers,
      ).toHaveLength(3);
    });

    it('refuses the simulator and http sinks', () => {
      expect(() => loadConfig({ ...complete, SIMULATOR: 'on' })).toThrow(
        /^invalid configuration: simulator.enabled \(SIMULATOR\)/,
      );
      expect(() => loadConfig({ ...complete, ALLOW_HTTP_SINKS: 'on' })).toThrow(/ALLOW_HTTP_SINKS/);
    });
  });
});
