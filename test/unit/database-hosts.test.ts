import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/load.js';
import { parseHostList } from '../../src/store/primary-hosts.js';

/** DATABASE_URL with several hosts, as libpq reads it (issue 14: survive a PostgreSQL failover). */
describe('a DATABASE_URL listing several hosts', () => {
  it('is left to node-postgres when it names one host', () => {
    expect(parseHostList('postgres://gw:secret@db.internal:5432/gateway?sslmode=require')).toBeUndefined();
  });

  it('gives each host a one-host URL with the rest kept, without target_session_attrs', () => {
    const list = parseHostList(
      'postgresql://gw:s%40cret@10.0.0.1:5432,db-b,[fd00::2]:5433/gateway?target_session_attrs=read-write&sslmode=require',
    );
    expect(list?.hosts).toEqual([
      { host: '10.0.0.1', port: '5432' },
      { host: 'db-b', port: '5432' },
      { host: '[fd00::2]', port: '5433' },
    ]);
    expect(list?.hosts.map((h) => list.urlFor(h))).toEqual([
      'postgresql://gw:s%40cret@10.0.0.1:5432/gateway?sslmode=require',
      'postgresql://gw:s%40cret@db-b:5432/gateway?sslmode=require',
      'postgresql://gw:s%40cret@[fd00::2]:5433/gateway?sslmode=require',
    ]);
  });

  it('wants the writable server whatever target_session_attrs says (a standby would fail every write)', () => {
    expect(parseHostList('postgres://h1:1,h2:2/db')?.hosts).toHaveLength(2);
    expect(parseHostList('postgres://h1:1,h2:2/db?target_session_attrs=primary')?.hosts).toHaveLength(2);
  });

  it('refuses to be pointed at standbys only, or at a host it cannot read', () => {
    expect(() => parseHostList('postgres://h1,h2/db?target_session_attrs=read-only')).toThrow(ConfigError);
    expect(() => parseHostList('postgres://h1,h2:port/db')).toThrow(/cannot read one of its hosts/);
    // The entry is not repeated (a password with a stray separator would be).
    expect(() => parseHostList('postgres://gw:Xq7,Zk9/w@h1,h2/db')).toThrow(/^((?!Xq7|Zk9).)*$/);
  });
});
