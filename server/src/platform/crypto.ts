/**
 * Encryption at rest. Message payloads wait in the queue encrypted (AES-256-GCM under a key
 * derived from the server secret) and are erased once the provider has them,
 * so the database never holds a readable code for longer than delivery takes;
 * stored secrets (provider credentials, signing keys) are sealed the same way.
 * Shared by every feature that keeps a secret, so it sits below them all.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** Seals and opens queued payloads. */
export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/**
 * A sealer whose key is derived from the server secret for one purpose, so
 * a key for one kind of data never opens another.
 */
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

const SEALED_PREFIX = 'sealed:v1:';

/** Seals a stored secret (provider credentials, signing keys) with the server's "secrets at rest" key. */
export function sealSecret(secret: string, value: string): string {
  return SEALED_PREFIX + createSealer(secret, 'secrets at rest').seal(value);
}

/** Opens a value from {@link sealSecret}; a value stored before sealing existed is returned as it is. */
export function openSecret(secret: string, value: string): string {
  if (!value.startsWith(SEALED_PREFIX)) return value;
  return createSealer(secret, 'secrets at rest').open(value.slice(SEALED_PREFIX.length));
}

/**
 * SHA-256 of a string, lowercase hex: how long random values are stored and
 * looked up (authkeys, widget tokens, passkey tickets and challenges), where
 * an unkeyed hash is enough.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
