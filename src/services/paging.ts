import { errors } from '../domain/errors.js';

/**
 * The deepest a list may be paged: past this many rows, an OFFSET makes the database walk and
 * throw away everything before the page, which is a cost anyone with a token could multiply.
 * Deeper history is narrowed with the lists' date filters instead.
 */
export const MAX_ROWS_SKIPPED = 10_000;

/** A page of a list as LIMIT and OFFSET; OUT_OF_RANGE for a page size above `maxPerPage` or a page too deep. */
export function pageWindow(page: number, perPage: number, maxPerPage: number): { limit: number; offset: number } {
  const offset = (page - 1) * perPage;
  if (perPage < 1 || perPage > maxPerPage || page < 1 || offset > MAX_ROWS_SKIPPED) throw errors.outOfRange();
  return { limit: perPage, offset };
}
