import type { CookieOptions, Request, Response } from 'express';
import type { Context } from '../services/context.js';
import { httpsOnly } from './validation.js';

/**
 * A cookie of ours: `__Host-<name>` when the client reaches us over https (Secure, whole site, no
 * Domain, so no other host or path can set or shadow it), `<name>` on `plainPath` on the demo's
 * http. Always HttpOnly and SameSite=Strict.
 */
export function hostCookie(ctx: Context, req: Request, name: string, plainPath: string) {
  const secure = req.secure || httpsOnly(ctx);
  const options: CookieOptions = { httpOnly: true, sameSite: 'strict', secure, path: secure ? '/' : plainPath };
  return {
    name: secure ? `__Host-${name}` : name,
    read: () => readCookie(req, secure ? `__Host-${name}` : name),
    set: (res: Response, value: string, maxAgeMs?: number) =>
      res.cookie(secure ? `__Host-${name}` : name, value, { ...options, ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) }),
    clear: (res: Response) => res.clearCookie(secure ? `__Host-${name}` : name, options),
  };
}

/** A cookie's value as the request sent it, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
