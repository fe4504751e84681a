import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** The keys the gateway derives from its one master key, each for one purpose. */
export interface Keys {
  readonly otp: Buffer;
  readonly tokens: Buffer;
  readonly giftDigest: Buffer;
  readonly giftEncryption: Buffer;
  /** Encrypts what merchants hand us to reach them: sink credentials, signing secrets. */
  readonly merchantSecrets: Buffer;
  /** Keys the hash of merchants' client secrets. */
  readonly clientSecrets: Buffer;
}

export function deriveKeys(masterKeyHex: string): Keys {
  const master = Buffer.from(masterKeyHex, 'hex');
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `carrier-billing-gateway/${purpose}`, 32));
  return {
    otp: derive('otp'),
    tokens: derive('tokens'),
    giftDigest: derive('gift-digest'),
    giftEncryption: derive('gift-encryption'),
    merchantSecrets: derive('merchant-secrets'),
    clientSecrets: derive('client-secrets'),
  };
}

export function keyedDigest(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value).digest();
}

const SEALED_VERSION = 'v2';
const TAG_BYTES = 16;

/**
 * AES-256-GCM with the place the value belongs to (`boundTo`: table, row and column, such as
 * `certificate:gc_…:code`) as associated data, so a ciphertext copied into another row (another
 * merchant's secret, another certificate's code) does not open there. The result is
 * `v2.iv.tag.ciphertext` in base64url, safe to store in a text column.
 */
export function encrypt(key: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [SEALED_VERSION, ...[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))].join('.');
}

/**
 * Opens what `encrypt` sealed for the same place; throws when the value was altered, moved or cut.
 * Values sealed before associated data was bound (`iv.tag.ciphertext`, no version) still open.
 */
export function decrypt(key: Buffer, sealed: string, boundTo: string): string {
  const parts = sealed.split('.');
  const bound = parts[0] === SEALED_VERSION;
  const [iv = '', tag = '', body = ''] = bound ? parts.slice(1) : parts;
  const authTag = Buffer.from(tag, 'base64url');
  if (authTag.length !== TAG_BYTES) throw new Error('sealed value with a short authentication tag');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  if (bound) decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(authTag);
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** Where each sealed value belongs (the associated data of `encrypt`). */
export const sealedAt = {
  giftCode: (certificateId: string) => `certificate:${certificateId}:code`,
  sinkCredential: (paymentId: string) => `payment:${paymentId}:sink-credential`,
  notificationSecret: (merchantId: string) => `merchant:${merchantId}:notification-secret`,
};

export function randomId(prefix: string, bytes = 16): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}
