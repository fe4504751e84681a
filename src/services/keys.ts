import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** The keys the gateway derives from its one master key, each for one purpose. */
export interface Keys {
  readonly otp: Buffer;
  readonly tokens: Buffer;
  readonly giftDigest: Buffer;
  readonly giftEncryption: Buffer;
  /** Encrypts what merchants hand us to reach them: sink credentials, signing secrets. */
  readonly merchantSecrets: Buffer;
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
  };
}

export function keyedDigest(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value).digest();
}

/** AES-256-GCM; the result is `iv.tag.ciphertext` in base64url, safe to store in a text column. */
export function encrypt(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function decrypt(key: Buffer, sealed: string): string {
  const [iv = '', tag = '', body = ''] = sealed.split('.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function randomId(prefix: string, bytes = 16): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}
