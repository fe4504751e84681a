/**
 * Writes that ride in the statement of a payment's change (insert or state change), as CTEs beside
 * `u`, the changed row; `u` is empty when the change did not happen, so a write that selects from
 * it happens only with the change. One statement is one round trip and commits as one: a state
 * change, its audit row, a charge's intent or a certificate can never be found apart.
 *
 * A companion gets `param`, which adds a value and returns its placeholder (`$7`).
 */
export type CompanionWrite = (param: (value: unknown) => string) => string;

/** `WITH u AS (<change>), c1 AS (<companion>), … SELECT * FROM u`, with the companions' values appended. */
export function withCompanions(change: string, params: unknown[], companions: CompanionWrite[]): string {
  if (companions.length === 0) return change;
  const param = (value: unknown) => `$${params.push(value)}`;
  const ctes = companions.map((write, i) => `c${i + 1} AS (${write(param)})`);
  return `WITH u AS (${change}), ${ctes.join(', ')} SELECT * FROM u`;
}

/** A companion write run as a statement of its own (the same SQL, outside a payment's change). */
export function alone(write: CompanionWrite): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const text = write((value) => `$${params.push(value)}`);
  return { text, params };
}
