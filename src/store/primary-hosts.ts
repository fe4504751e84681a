import pg from 'pg';
import { ConfigError } from '../../config/load.js';

export interface DatabaseHost {
  readonly host: string;
  readonly port: string;
}

/** A DATABASE_URL that lists several hosts, libpq style: `postgres://u@h1:5432,h2:5433/db?…`. */
export interface HostList {
  readonly hosts: readonly DatabaseHost[];
  /** `target_session_attrs=read-write` (or `primary`): only a server that takes writes will do. */
  readonly wantsPrimary: boolean;
  /** The same URL naming one of the hosts, as node-postgres understands it. */
  urlFor(host: DatabaseHost): string;
}

const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^@/?]*@)?([^/?]*)(\/[^?]*)?(\?.*)?$/;
/** libpq's values; the gateway writes, so it cannot be pointed at standbys only. */
const ACCEPTED_ATTRS = new Set(['any', 'read-write', 'primary']);

/**
 * Reads the hosts of a DATABASE_URL; undefined for a URL with one host (node-postgres handles it
 * alone). node-postgres knows neither several hosts nor target_session_attrs, so the gateway
 * picks the host itself (PrimaryTracker) and hands node-postgres a one-host URL.
 */
export function parseHostList(url: string): HostList | undefined {
  const parts = URL_PARTS.exec(url);
  if (!parts?.[3]?.includes(',')) return undefined;
  const [, scheme = '', user = '', hostPart, path = '', query = ''] = parts;
  const hosts = hostPart.split(',').map((entry) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!match?.[1])
      throw new ConfigError(`invalid configuration: databaseUrl (DATABASE_URL): cannot read the host "${entry}"`);
    return { host: match[1], port: match[2] ?? '5432' };
  });
  const params = new URLSearchParams(query.slice(1));
  const attrs = params.get('target_session_attrs') ?? 'any';
  if (!ACCEPTED_ATTRS.has(attrs))
    throw new ConfigError(
      `invalid configuration: databaseUrl (DATABASE_URL): target_session_attrs=${attrs} cannot work, the gateway writes (use read-write)`,
    );
  params.delete('target_session_attrs');
  const rest = params.size > 0 ? `?${params.toString()}` : '';
  return {
    hosts,
    wantsPrimary: attrs !== 'any',
    urlFor: (h) => `${scheme}${user}${h.host}:${h.port}${path}${rest}`,
  };
}

/**
 * Which of the listed hosts to connect to: the first that answers (and takes writes, when the URL
 * asks for read-write), looked for again whenever a connection fails or lands on a standby, so
 * that after a failover new connections go to the new primary. One search at a time.
 */
export class PrimaryTracker {
  private current = 0;
  private search: Promise<void> | undefined;

  constructor(private readonly list: HostList) {}

  /** The one-host URL new connections use. */
  url(): string {
    return this.list.urlFor(this.list.hosts[this.current] ?? { host: 'localhost', port: '5432' });
  }

  /** Looks for the host to use, starting with the current one; keeps it when none answers. */
  find(): Promise<void> {
    return (this.search ??= this.probeAll().finally(() => (this.search = undefined)));
  }

  private async probeAll(): Promise<void> {
    const { hosts } = this.list;
    for (let step = 0; step < hosts.length; step++) {
      const index = (this.current + step) % hosts.length;
      const host = hosts[index];
      if (host && (await this.suits(host))) {
        this.current = index;
        return;
      }
    }
  }

  private async suits(host: DatabaseHost): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.list.urlFor(host), connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      // libpq's read-write test (transaction_read_only), and not a standby: a promoted standby
      // stays read-only until the old primary is known to be down (pg_auto_failover's demote timeout).
      const { rows } = await client.query<{ writable: boolean }>(
        `SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' AS writable`,
      );
      return !this.list.wantsPrimary || rows[0]?.writable === true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
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
