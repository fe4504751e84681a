import { ApiError } from '../../domain/errors.js';
import { isObviouslyPrivate } from '../../domain/network.js';

interface WithSink {
  sink?: string;
  sinkCredential?: {
    credentialType: string;
    accessToken?: string;
    accessTokenExpiresUtc?: string;
    accessTokenType?: string;
  };
}

/**
 * CAMARA's sink rules: https only (http where the configuration allows it), and only a bearer
 * access token as credential.
 */
export function requireValidSink<T extends WithSink>(body: T, allowHttp = false): T {
  if (body.sink !== undefined) {
    const url = URL.parse(body.sink);
    if (!url?.hostname || !(url.protocol === 'https:' || (allowHttp && url.protocol === 'http:')))
      throw new ApiError(400, 'INVALID_SINK', 'sink not valid for the specified protocol');
    // The gateway's own networks are no place for notifications (checked again, resolved, at delivery).
    if (!allowHttp && isObviouslyPrivate(url.hostname))
      throw new ApiError(400, 'INVALID_SINK', 'sink must be a public address');
  }
  const credential = body.sinkCredential;
  if (credential) {
    if (credential.credentialType !== 'ACCESSTOKEN')
      throw new ApiError(400, 'INVALID_CREDENTIAL', 'Only Access token is supported');
    if (credential.accessTokenType !== 'bearer' || !credential.accessToken || !credential.accessTokenExpiresUtc) {
      throw new ApiError(400, 'INVALID_TOKEN', 'Only bearer token is supported');
    }
  }
  return body;
}
