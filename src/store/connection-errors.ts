/** Socket errors that mean the server is not there (now). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
]);
/**
 * SQLSTATEs of a server going away or not taking us: class 08 (connection exception), an
 * administrator's or a crash's shutdown, still starting, too many connections, and a read-only
 * transaction (connected to a standby, as after a failover).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
/** What node-postgres says when the connection broke under it or never came. */
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client has encountered a connection error/;

/** Whether an error means the database is unreachable, rather than that a statement failed. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  return (
    SOCKET_CODES.has(code) ||
    SQLSTATES.has(code) ||
    code.startsWith('08') ||
    (typeof e?.message === 'string' && MESSAGES.test(e.message))
  );
}
