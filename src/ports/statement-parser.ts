import type { Readable } from 'node:stream';
import type { StatementLine } from '../domain/statement.js';

/** Reads one statement format as a stream of lines; throws StatementFormatError on a bad line. */
export type StatementParser = (input: Readable) => AsyncGenerator<StatementLine>;

/** Parsers by format name (the `statement.format` of a carrier's configuration). */
export type StatementParsers = Readonly<Record<string, StatementParser>>;
