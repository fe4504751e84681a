import { z } from 'zod';
import { errors } from '../domain/errors.js';

/**
 * Checks input with a schema at an edge (HTTP, CLI); the first problem becomes CAMARA's 400
 * INVALID_ARGUMENT, naming the field, and nothing behind the edge sees unchecked input.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw errors.invalidArgument(`${where}${issue?.message ?? 'invalid input'}`);
}

/** No C0 control character and no DEL, anywhere in the text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/** Text as people and systems write it: PostgreSQL cannot store NUL, and control characters help nobody. */
export const text = (max: number) =>
  z.string().min(1).max(max).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
