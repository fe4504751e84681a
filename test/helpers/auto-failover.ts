import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './processes.js';
import { sleep } from './wait.js';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL formation of the test's own under pg_auto_failover (Debian's
 * postgresql-15-auto-failover): a monitor, a primary and a synchronous standby, each a
 * `pg_autoctl run` started as the `postgres` user on a free port in a temporary folder. The
 * monitor's health checks are shortened so that a failover takes seconds, not the default half
 * minute.
 */
export async function startAutoFailover() {
  const dir = await mkdtemp(join(tmpdir(), 'cbg-paf-'));
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  await chown(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
  // pg_autoctl as the postgres user, its configuration and state in the test's folder.
  const asPostgres = [
    '-u',
    'postgres',
    '--',
    'env',
    `PATH=${BIN}:${process.env.PATH ?? ''}`,
    `XDG_CONFIG_HOME=${dir}`,
    `XDG_DATA_HOME=${dir}`,
    'pg_autoctl',
  ];
  const autoctl = (args: string[]) => run('runuser', [...asPostgres, ...args]);
  const keepers: ChildProcess[] = [];
  /** `pg_autoctl run` of a node: its keeper, for the formation's whole life. */
  const keep = (pgdata: string) => {
    keepers.push(spawn('runuser', [...asPostgres, 'run', '--pgdata', pgdata], { stdio: 'ignore' }));
  };
  const [monitorPort, ...nodePorts] = await Promise.all([freePort(), freePort(), freePort()]);
  const common = ['--hostname', '127.0.0.1', '--auth', 'trust', '--no-ssl'];

  await autoctl(['create', 'monitor', '--pgdata', join(dir, 'monitor'), '--pgport', String(monitorPort), ...common]);
  keep(join(dir, 'monitor'));
  const monitorUrl = `postgres://postgres@127.0.0.1:${String(monitorPort)}/pg_auto_failover`;
  await until(async () => {
    const monitor = new pg.Client({ connectionString: monitorUrl });
    monitor.on('error', () => undefined);
    try {
      await monitor.connect();
      for (const [name, value] of [
        ['health_check_period', 1000],
        ['health_check_timeout', 1000],
        ['health_check_max_retries', 1],
        ['health_check_retry_delay', 500],
        ['node_considered_unhealthy_timeout', 3000],
        ['startup_grace_period', 1000],
        // The promoted standby stays read-only until the old primary is known demoted, or this long.
        ['primary_demote_timeout', 3000],
      ] as const)
        await monitor.query(`ALTER SYSTEM SET pgautofailover.${name} = ${String(value)}`);
      await monitor.query('SELECT pg_reload_conf()');
      return true;
    } finally {
      await monitor.end().catch(() => undefined);
    }
  });

  const nodes = nodePorts.map((port, i) => ({
    name: `node${String(i + 1)}`,
    port,
    pgdata: join(dir, `node${String(i + 1)}`),
  }));
  for (const node of nodes) {
    await autoctl([
      'create',
      'postgres',
      '--pgdata',
      node.pgdata,
      '--pgport',
      String(node.port),
      '--name',
      node.name,
      '--monitor',
      `postgres://autoctl_node@127.0.0.1:${String(monitorPort)}/pg_auto_failover?sslmode=disable`,
      ...common,
    ]);
    keep(node.pgdata);
    await until(async () => (await roleOf(node.port)) !== undefined);
  }
  const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${String(port)}/postgres`;
  /** The node that takes writes now, if any. */
  const primary = async () => {
    for (const node of nodes) if ((await roleOf(node.port)) === 'primary') return node;
    return undefined;
  };
  // Ready when one node is primary and the other a streaming, synchronous standby.
  await until(async () => {
    const p = await primary();
    if (!p) return false;
    const { rows } = await query(
      urlOf(p.port),
      `SELECT count(*)::int AS n FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')`,
    );
    return rows[0]?.n === 1;
  }, 90_000);

  return {
    /** The formation's URL as libpq (and the gateway) takes it: both nodes, the writable one wanted. */
    url: `postgres://postgres@${nodes.map((n) => `127.0.0.1:${String(n.port)}`).join(',')}/postgres?target_session_attrs=read-write`,
    /** A one-host URL of the primary now (for the audit). */
    async writableUrl() {
      let p = await primary();
      for (let i = 0; !p && i < 120; i++) {
        await sleep(500);
        p = await primary();
      }
      if (!p) throw new Error('no primary in the formation');
      return urlOf(p.port);
    },
    /** Stops the primary's node at once (keeper and PostgreSQL), as a machine that died; its port. */
    async stopPrimary() {
      const p = await primary();
      if (!p) throw new Error('no primary to stop');
      await autoctl(['stop', '--pgdata', p.pgdata, '--immediate']);
      return p.port;
    },
    /** Whether another node took over as primary. */
    primaryPort: async () => (await primary())?.port,
    async stop() {
      for (const pgdata of [...nodes.map((n) => n.pgdata), join(dir, 'monitor')])
        await autoctl(['stop', '--pgdata', pgdata, '--immediate']).catch(() => undefined);
      for (const keeper of keepers) keeper.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.query<{ n?: number; standby?: boolean }>(text);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function roleOf(port: number): Promise<'primary' | 'standby' | undefined> {
  try {
    const { rows } = await query(
      `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
      'SELECT pg_is_in_recovery() AS standby',
    );
    return rows[0]?.standby ? 'standby' : 'primary';
  } catch {
    return undefined;
  }
}

async function until(probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe().catch(() => false)) return;
    await sleep(300);
  }
  throw new Error('the pg_auto_failover formation did not come up');
}
