import pg from 'pg';
import { ConfigError } from '../../config/load.js';

export interface DatabaseHost {
  readonly host: string;
  readonly port: string;
}

/** A DATABASE_URL that lists several hosts, libpq style: `postgres://u@h1:5432,h2:5433/db?…`. */
export interface HostList {
  readonly hosts: readonly [DatabaseHost, ...DatabaseHost[]];
  /** The same URL naming one of the hosts, as node-postgres understands it. */
  urlFor(host: DatabaseHost): string;
}

const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^@/?]*@)?([^/?]*)(\/[^?]*)?(\?.*)?$/;
/** libpq's values that still let the gateway write. */
const ACCEPTED_ATTRS = new Set(['any', 'read-write', 'primary']);
const invalid = (why: string) => new ConfigError(`invalid configuration: databaseUrl (DATABASE_URL): ${why}`);

/**
 * Reads the hosts of a DATABASE_URL; undefined for a URL with one host (node-postgres handles it
 * alone). node-postgres knows neither several hosts nor target_session_attrs, so the gateway
 * picks the host itself (PrimaryTracker) and hands node-postgres a one-host URL. With several
 * hosts the gateway always wants the writable one, whatever target_session_attrs says: a
 * standby taken as "any" would fail every write for good.
 */
export function parseHostList(url: string): HostList | undefined {
  const parts = URL_PARTS.exec(url);
  if (!parts?.[3]?.includes(',')) return undefined;
  const [, scheme = '', user = '', hostPart, path = '', query = ''] = parts;
  const hosts = hostPart.split(',').map((entry) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    // The entry is not repeated: a password with an unescaped separator would end up in the logs.
    if (!match?.[1]) throw invalid('cannot read one of its hosts (host or host:port, comma-separated)');
    return { host: match[1], port: match[2] ?? '5432' };
  });
  const params = new URLSearchParams(query.slice(1));
  const attrs = params.get('target_session_attrs') ?? 'any';
  if (!ACCEPTED_ATTRS.has(attrs))
    throw invalid(`target_session_attrs=${attrs} cannot work, the gateway writes (use read-write)`);
  params.delete('target_session_attrs');
  const rest = params.size > 0 ? `?${params.toString()}` : '';
  const [first, ...others] = hosts;
  if (!first) throw invalid('no host');
  return { hosts: [first, ...others], urlFor: (h) => `${scheme}${user}${h.host}:${h.port}${path}${rest}` };
}

/** Searches for the primary start at most this often, however many requests fail meanwhile. */
const SEARCH_GAP_MS = 1_000;
/** A probe that neither connects nor answers within this is no primary. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Which of the listed hosts to connect to: the first that takes writes (not in recovery,
 * transaction_read_only off, libpq's read-write test), looked for again when a connection fails or
 * lands on a read-only server, so that after a failover new connections go to the new primary.
 * One search at a time, at most one a second, each probe bounded in time.
 */
export class PrimaryTracker {
  private current: DatabaseHost;
  private search: Promise<void> | undefined;
  private lastSearch = 0;

  constructor(private readonly list: HostList) {
    this.current = list.hosts[0];
  }

  /** The one-host URL new connections use. */
  url(): string {
    return this.list.urlFor(this.current);
  }

  /** Looks for the writable host, starting with the current one; keeps it when none answers. */
  find(): Promise<void> {
    if (this.search) return this.search;
    if (Date.now() - this.lastSearch < SEARCH_GAP_MS) return Promise.resolve();
    this.lastSearch = Date.now();
    return (this.search = this.probeAll().finally(() => (this.search = undefined)));
  }

  private async probeAll(): Promise<void> {
    const { hosts } = this.list;
    const from = hosts.indexOf(this.current);
    for (let step = 0; step < hosts.length; step++) {
      const host = hosts[(from + step) % hosts.length];
      if (host && (await this.writable(host))) {
        this.current = host;
        return;
      }
    }
  }

  private async writable(host: DatabaseHost): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.list.urlFor(host),
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      query_timeout: PROBE_TIMEOUT_MS,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      // A promoted standby stays read-only until the old primary is known to be down
      // (pg_auto_failover's demote timeout): not yet the one to write to.
      const { rows } = await client.query<{ writable: boolean }>(
        `SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' AS writable`,
      );
      return rows[0]?.writable === true;
    } catch {
      return false;
    } finally {
      void client.end().catch(() => undefined);
    }
  }
}

/** node-postgres' Client, connecting wherever the tracker says at the moment it is created. */
export function clientFollowing(tracker: PrimaryTracker): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({ ...(typeof config === 'string' ? {} : config), connectionString: tracker.url() });
    }
  };
}
