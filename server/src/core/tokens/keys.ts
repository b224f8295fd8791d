/**
 * Signing keys for access tokens: Ed25519, created on first start and kept
 * in the store with the private half sealed under the server secret. The
 * newest live key signs; a rotation retires the others, which stay in the
 * JWKS (and verify) only until the last token they signed has expired.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { openSecret, sealSecret } from '../../platform/crypto.ts';
import type { Clock, Logger, Random } from '../../platform/runtime.ts';
import type { SigningKey, Store } from '../../store/index.ts';

/** The keys in use. */
export interface KeyRing {
  /** The key that signs new tokens. */
  current(): Promise<{ kid: string; key: KeyObject }>;
  /** Public keys that verify tokens now: the live key and recently retired ones, as a JWK Set. */
  jwks(): Promise<{ keys: JWK[] }>;
  /**
   * The same keys as a `jwtVerify` key resolver. Kept while the published set
   * is unchanged: jose imports each key once instead of on every verification.
   */
  verifier(): Promise<JWTVerifyGetKey>;
  /** Every key with its state, newest first (admin view). */
  list(): Promise<
    { kid: string; createdAt: number; retiredAt: number | null; published: boolean }[]
  >;
  /** Creates a new signing key and retires the others; returns the new `kid`. */
  rotate(): Promise<string>;
  /** Re-reads the keys from the store (another instance may have rotated). */
  refresh(): void;
}

/** Keys are re-read this often, so a rotation on another instance is picked up. */
const RELOAD_MS = 60_000;

/**
 * Loads the store's keys, creating the first one when there is none.
 *
 * @param graceMs how long a retired key stays published: the token lifetime plus clock skew.
 */
export function createKeyRing(deps: {
  store: Store;
  clock: Clock;
  random: Random;
  secret: string;
  graceMs: number;
}): KeyRing {
  let loaded:
    | Promise<{ at: number; keys: SigningKey[]; signer: { kid: string; key: KeyObject } }>
    | undefined;

  async function create(): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
      crv: 'Ed25519',
      extractable: true,
    });
    const kid = deps.random.hex(8);
    const key: SigningKey = {
      kid,
      alg: 'EdDSA',
      publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }),
      privateJwk: sealSecret(deps.secret, JSON.stringify(await exportJWK(privateKey))),
      createdAt: deps.clock.now(),
      retiredAt: null,
    };
    await deps.store.signingKeys.insert(key);
    return key;
  }

  async function load() {
    let keys = await deps.store.signingKeys.list();
    if (!keys.some((k) => k.retiredAt === null)) {
      await create();
      keys = await deps.store.signingKeys.list();
    }
    const live = keys.find((k) => k.retiredAt === null)!;
    const jwk = JSON.parse(openSecret(deps.secret, live.privateJwk)) as JWK;
    // A Node key object straight from the JWK: `crypto.sign` takes it as is (signJwt), and no
    // CryptoKey is converted with KeyObject.from (deprecated for non-extractable keys, DEP0204).
    const key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return { at: deps.clock.now(), keys, signer: { kid: live.kid, key } };
  }

  const state = async () => {
    const current = loaded && (await loaded.catch(() => undefined));
    if (!current || deps.clock.now() - current.at > RELOAD_MS) {
      loaded = load().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    }
    return loaded!;
  };

  const published = (k: SigningKey, now: number) =>
    k.retiredAt === null || now - k.retiredAt < deps.graceMs;

  // The resolver of the last published set: rebuilt when the keys are re-read or a retired key's grace ends.
  let verifierFor: { state: unknown; kids: string; resolve: JWTVerifyGetKey } | undefined;

  return {
    async current() {
      return (await state()).signer;
    },
    async jwks() {
      const now = deps.clock.now();
      const { keys } = await state();
      return {
        keys: keys.filter((k) => published(k, now)).map((k) => JSON.parse(k.publicJwk) as JWK),
      };
    },
    async verifier() {
      const now = deps.clock.now();
      const state_ = await state();
      const keys = state_.keys.filter((k) => published(k, now));
      const kids = keys.map((k) => k.kid).join(',');
      if (verifierFor?.state !== state_ || verifierFor.kids !== kids) {
        const resolve = createLocalJWKSet({
          keys: keys.map((k) => JSON.parse(k.publicJwk) as JWK),
        });
        verifierFor = { state: state_, kids, resolve };
      }
      return verifierFor.resolve;
    },
    async list() {
      const now = deps.clock.now();
      const { keys } = await state();
      return keys.map((k) => ({
        kid: k.kid,
        createdAt: k.createdAt,
        retiredAt: k.retiredAt,
        published: published(k, now),
      }));
    },
    refresh() {
      loaded = undefined;
    },
    async rotate() {
      const key = await create();
      await deps.store.signingKeys.retireAllBut(key.kid, deps.clock.now());
      loaded = undefined;
      return key.kid;
    },
  };
}

/**
 * Rotates the signing key (the admin operation): new tokens are signed with
 * a new key; the old one stays in the JWKS until its last token has expired.
 */
export async function rotateSigningKey(deps: { keys: KeyRing; log: Logger }): Promise<string> {
  const kid = await deps.keys.rotate();
  deps.log.info('signing key rotated', { kid });
  return kid;
}
