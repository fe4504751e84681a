import express, { Router, type Request, type Response } from 'express';
import { clientAddressOf } from '../validation.js';
import { z } from 'zod';
import {
  authenticateTokenClient,
  issueAccessToken,
  OAuthError,
  type AuthenticatedClient,
} from '../../services/access/access-tokens.js';
import { authorizationCodeToken, cibaToken } from '../../services/access/grant-tokens.js';
import { startBackchannelAuthorization } from '../../services/access/phone-user-authorization.js';
import type { Context } from '../../services/context.js';
import { text } from '../../services/input.js';

const form = z.object({
  grant_type: z.string().optional(),
  client_id: text(200).optional(),
  client_secret: text(200).optional(),
  scope: text(1000).optional(),
  auth_req_id: text(200).optional(),
  code: text(200).optional(),
  redirect_uri: text(2048).optional(),
  code_verifier: text(200).optional(),
  login_hint: text(200).optional(),
});

const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';

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

/**
 * The OAuth endpoints: `POST /oauth/token` for client credentials (RFC 6749 §4.4), CIBA polls and
 * authorization codes (three-legged, CONTRACTS §1b), and `POST /oauth/bc-authorize` (CIBA).
 * Errors are RFC 6749's `{"error"}` bodies.
 */
export function oauthRoutes(ctx: Context): Router {
  const router = Router();
  const urlencoded = express.urlencoded({ extended: false, limit: '4kb' });

  const parsedForm = (req: Request) => {
    const parsed = form.safeParse(req.body ?? {});
    if (!parsed.success) throw new OAuthError(400, 'invalid_request');
    return parsed.data;
  };
  const client = (req: Request, body: z.infer<typeof form>): Promise<AuthenticatedClient> => {
    const basic = basicCredentials(req.get('authorization'));
    const clientId = basic?.id ?? body.client_id;
    const clientSecret = basic?.secret ?? body.client_secret;
    if (!clientId || !clientSecret) throw new OAuthError(401, 'invalid_client');
    return authenticateTokenClient(ctx, { clientId, clientSecret, clientAddress: clientAddressOf(req) });
  };
  const noStore = (res: Response) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });

  router.post('/oauth/token', urlencoded, async (req, res) => {
    const body = parsedForm(req);
    switch (body.grant_type) {
      case 'client_credentials':
        noStore(res).json(await issueAccessToken(ctx, await client(req, body), body.scope));
        return;
      case CIBA_GRANT:
        noStore(res).json(await cibaToken(ctx, await client(req, body), body.auth_req_id));
        return;
      case 'authorization_code':
        noStore(res).json(
          await authorizationCodeToken(ctx, await client(req, body), {
            code: body.code,
            redirectUri: body.redirect_uri,
            codeVerifier: body.code_verifier,
          }),
        );
        return;
      default:
        throw new OAuthError(400, body.grant_type ? 'unsupported_grant_type' : 'invalid_request');
    }
  });

  router.post('/oauth/bc-authorize', urlencoded, async (req, res) => {
    const body = parsedForm(req);
    const authenticated = await client(req, body);
    noStore(res).json(
      await startBackchannelAuthorization(ctx, authenticated, { loginHint: body.login_hint, scope: body.scope }),
    );
  });
  return router;
}
