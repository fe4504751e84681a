import type { z } from 'zod';
import { errors } from '../domain/errors.js';

/** Parses input with a schema; the first problem becomes CAMARA's 400 INVALID_ARGUMENT, naming the field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw errors.invalidArgument(`${where}${issue?.message ?? 'invalid input'}`);
}
