/**
 * A row the caller locked and checked was not there to change (gone, or in a state that does not
 * allow the change): a bug or a broken invariant, never something a client caused. Named, so that
 * it reads as what it is in a log.
 */
export class MissingRowError extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(`${table} ${id} was not there to change, or not in a state that allows it`);
    this.name = 'MissingRowError';
  }
}

/** `value ?? missing('payments', id)`: the change the caller was entitled to did not happen. */
export function missing(table: string, id: string): never {
  throw new MissingRowError(table, id);
}
