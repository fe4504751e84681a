/**
 * A text field of a request as a carrier reads it: SOAP and JSON bodies come from outside, so a
 * field may be missing, a number, or an object; only strings and numbers count as text.
 */
export function textOf(value: unknown): string {
  if (Array.isArray(value)) return textOf(value[0]);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
