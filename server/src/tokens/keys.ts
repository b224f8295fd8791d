/**
 * Signing keys for access tokens: Ed25519, created on first start and kept
 * in the store; the newest signs, all are published in the JWKS.
 */
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock, Random } from '../deps.ts';
import type { SigningKey, Store } from '../store/index.ts';

/** The keys in use. */
export interface KeyRing {
  /** The key that signs new tokens. */
  current(): Promise<{ kid: string; key: CryptoKey }>;
  /** Public keys of every key, as a JWK Set. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Creates a new signing key; older keys stay published so their tokens still verify. */
  rotate(): Promise<string>;
}

/** Loads the store's keys, creating the first one when there is none. */
export function createKeyRing(deps: { store: Store; clock: Clock; random: Random }): KeyRing {
  let loaded: Promise<{ keys: SigningKey[]; signer: { kid: string; key: CryptoKey } }> | undefined;

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
      privateJwk: JSON.stringify(await exportJWK(privateKey)),
      createdAt: deps.clock.now(),
    };
    await deps.store.signingKeys.insert(key);
    return key;
  }

  async function load() {
    let keys = await deps.store.signingKeys.list();
    if (keys.length === 0) {
      await create();
      keys = await deps.store.signingKeys.list();
    }
    const newest = keys[0]!;
    const key = (await importJWK(JSON.parse(newest.privateJwk) as JWK, 'EdDSA')) as CryptoKey;
    return { keys, signer: { kid: newest.kid, key } };
  }

  const state = () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };

  return {
    async current() {
      return (await state()).signer;
    },
    async jwks() {
      return { keys: (await state()).keys.map((k) => JSON.parse(k.publicJwk) as JWK) };
    },
    async rotate() {
      const key = await create();
      loaded = undefined;
      return key.kid;
    },
  };
}
