import type { StatementParsers } from '../../src/ports/statement-parser.js';
import { parseCsvStatement } from './csv.js';
import { parseHeaderTrailerStatement } from './header-trailer.js';

/** One parser per statement format; a carrier with another format needs only a new entry here. */
export const STATEMENT_PARSERS: StatementParsers = {
  csv: parseCsvStatement,
  'header-trailer': parseHeaderTrailerStatement,
};
