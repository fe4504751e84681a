/**
 * Names for prepared statements. A named statement is parsed and planned once per connection and
 * afterwards only bound and executed, which is most of PostgreSQL's work for the short statements
 * of a payment. The code builds a small, fixed set of texts (filters, changed columns), so each
 * gets a name; texts longer than any hand-written statement (bulk inserts) stay unnamed, and the
 * registry is bounded, because every name lives on in each connection and on the server.
 */
const MAX_TEXT = 4_000;
const MAX_NAMES = 500;
const names = new Map<string, string>();

export function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known || text.length > MAX_TEXT || names.size >= MAX_NAMES) return known;
  const name = `s${names.size + 1}`;
  names.set(text, name);
  return name;
}
