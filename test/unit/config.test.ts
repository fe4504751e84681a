import { describe, expect, it } from 'vitest';
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
    [{ MASTER_KEY: 'short' }, /^invalid configuration: masterKey \(MASTER_KEY\): /],
  ])('stops on a bad value with one line naming the key: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses production without its secrets or with the simulator on', () => {
    expect(() => loadConfig({ GATEWAY_ENV: 'production' })).toThrow(/OPERATOR_TOKEN/);
    expect(() =>
      loadConfig({
        GATEWAY_ENV: 'production',
        SIMULATOR: 'on',
        OPERATOR_TOKEN: 'x'.repeat(32),
        MASTER_KEY: 'a'.repeat(64),
      }),
    ).toThrow(/simulator/);
  });
});
