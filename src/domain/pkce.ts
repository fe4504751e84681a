import { createHash } from 'node:crypto';
import { secretsEqual } from './otp.js';

/** RFC 7636: a code_verifier is 43 to 128 unreserved characters; S256's challenge is 43 base64url characters. */
export const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `verifier` is the one whose S256 challenge was sent with the authorization request. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER.test(verifier)) return false;
  return secretsEqual(createHash('sha256').update(verifier).digest('base64url'), challenge);
}
