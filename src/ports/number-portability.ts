/**
 * Where prefixes lie: a number ported to another carrier keeps its original prefix. A lookup
 * names the carrier that serves the number now, or undefined to fall back to prefix routing.
 */
export interface NumberPortability {
  lookup(phoneNumber: string): Promise<string | undefined>;
}

/** Ported numbers listed in the configuration (the real thing is a national portability database). */
export function configuredPortability(ported: Readonly<Record<string, string>>): NumberPortability {
  return { lookup: async (phoneNumber) => ported[phoneNumber] };
}
