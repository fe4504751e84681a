/** The user and password of an HTTP Basic `Authorization` header, if it carries well-formed ones. */
export function basicCredentials(
  header: string | string[] | undefined,
): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(typeof header === 'string' ? header : '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1 || decoded.length > 512) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
