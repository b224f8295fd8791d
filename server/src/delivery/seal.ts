/**
 * Message payloads wait in the queue encrypted (AES-256-GCM under a key
 * derived from the server secret) and are erased once the provider has them,
 * so the database never holds a readable code for longer than delivery takes.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Seals and opens queued payloads. */
export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** A sealer keyed by `secret`; `purpose` separates the keys of different uses. */
export function createSealer(secret: string, purpose = 'queued message payload'): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'otpkit', purpose, 32));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
