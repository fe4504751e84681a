import express, { Router } from 'express';
import { clientAddressOf } from '../validation.js';
import { z } from 'zod';
import { issueAccessToken, OAuthError } from '../../services/access/access-tokens.js';
import type { Context } from '../../services/context.js';
import { text } from '../../services/input.js';

const form = z.object({
  grant_type: z.string().optional(),
  client_id: text(200).optional(),
  client_secret: text(200).optional(),
  scope: text(1000).optional(),
});

/** Client id and secret from HTTP Basic (form-urlencoded per RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const id = decodeURIComponent(decoded.slice(0, colon));
    const secret = decodeURIComponent(decoded.slice(colon + 1));
    return text(200).safeParse(id).success && text(200).safeParse(secret).success ? { id, secret } : undefined;
  } catch {
    return undefined;
  }
}

/** OAuth 2.0 client credentials (RFC 6749 §4.4) at POST /oauth/token. */
export function oauthRoutes(ctx: Context): Router {
  const router = Router();
  router.post('/oauth/token', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const parsed = form.safeParse(req.body ?? {});
    if (!parsed.success) throw new OAuthError(400, 'invalid_request');
    const body = parsed.data;
    if (body.grant_type !== 'client_credentials')
      throw new OAuthError(400, body.grant_type ? 'unsupported_grant_type' : 'invalid_request');
    const basic = basicCredentials(req.get('authorization'));
    const clientId = basic?.id ?? body.client_id;
    const clientSecret = basic?.secret ?? body.client_secret;
    if (!clientId || !clientSecret) throw new OAuthError(401, 'invalid_client');
    const token = await issueAccessToken(ctx, {
      clientId,
      clientSecret,
      scope: body.scope,
      clientAddress: clientAddressOf(req),
    });
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(token);
  });
  return router;
}
