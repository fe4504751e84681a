import express, { type Request, type Response } from 'express';
import { errors } from '../domain/errors.js';
import { clientKey } from '../domain/network.js';
import type { Context } from '../services/context.js';

/** The client's address as the brakes count it (after TRUST_PROXY; an IPv6 client by its /64). */
export function clientAddressOf(req: Request): string {
  return clientKey(req.ip ?? 'unknown');
}

/** Ids the gateway hands out are short base64url strings; anything else cannot name a resource. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function idParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !ID.test(value)) throw errors.notFound();
  return value;
}

/** A CAMARA list: the page as the body, the total and the index of its last item as headers. */
export function sendPage(res: Response, page: { items: unknown[]; total: number; lastIndex: number }): void {
  res.set({ 'X-Total-Count': String(page.total), 'Content-Last-Key': String(page.lastIndex) }).json(page.items);
}

/** The fields of a urlencoded form; a field sent twice or not at all reads as empty text. */
export interface FormFields {
  text(name: string): string;
}

export function formFields(req: Request): FormFields {
  const body: unknown = req.body;
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    text: (name) => {
      const value = fields[name];
      return typeof value === 'string' ? value : '';
    },
  };
}

/** Whether phone users and operators reach the gateway over https only (PUBLIC_URL): cookies are then Secure. */
export function httpsOnly(ctx: Context): boolean {
  return ctx.config.publicUrl?.startsWith('https://') ?? false;
}

/** How many bytes a request's body had, as the JSON parser read them (jsonBody). */
const bodyBytes = new WeakMap<object, number>();

/** JSON of any content type (CAMARA clients are not all careful with it), remembering the body's size. */
export function jsonBody(limit: string) {
  return express.json({
    limit,
    strict: true,
    type: () => true,
    verify: (req, _res, buf) => bodyBytes.set(req, buf.length),
  });
}

/**
 * A JSON body the operation requires, present: CAMARA answers a request without one 400
 * INVALID_ARGUMENT, which is not the same as an empty object (`{}`, whose missing fields have
 * answers of their own). No body is none parsed, or one of no bytes (chunked or announced).
 */
export function requiredBody(req: Request): unknown {
  const body: unknown = req.body;
  if (body === undefined || bodyBytes.get(req) === 0) throw errors.invalidArgument('A request body is required.');
  return body;
}
