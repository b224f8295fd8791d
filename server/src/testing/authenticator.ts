/**
 * A software WebAuthn authenticator for tests: ES256 keys from node:crypto,
 * "none" attestation, and assertions signed over authenticator data and the
 * client data hash, exactly as a browser hands them to a site (the JSON of
 * @simplewebauthn/browser). Browser tests use Chromium's virtual
 * authenticator instead.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/** One credential the authenticator holds. */
export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface SoftAuthenticatorOptions {
  /** A synced passkey (backup eligible and backed up): `swk`; else a device-bound key, `hwk`. */
  synced?: boolean;
  /** Whether it verifies the user (PIN, biometrics): adds `user` to `amr`. */
  verifiesUser?: boolean;
  /** Whether it keeps a signature counter (synced passkeys usually send 0). */
  counts?: boolean;
  /** The length of the credential IDs it makes (16 bytes unless told). */
  idBytes?: number;
}

/** Creation options as the server sends them (the fields the authenticator reads). */
interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
}

function authData(
  rpId: string,
  flags: number,
  counter: number,
  attested?: { id: Buffer; publicKey: KeyObject },
): Buffer {
  const parts: Uint8Array[] = [sha256(rpId), Buffer.from([flags]), Buffer.alloc(4)];
  (parts[2] as Buffer).writeUInt32BE(counter);
  if (attested) {
    const jwk = attested.publicKey.export({ format: 'jwk' });
    const cose = encodeCBOR(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const length = Buffer.alloc(2);
    length.writeUInt16BE(attested.id.length);
    parts.push(Buffer.alloc(16), length, attested.id, Buffer.from(cose));
  }
  return Buffer.concat(parts);
}

/** A software authenticator that creates credentials and signs assertions. */
export function softAuthenticator(options: SoftAuthenticatorOptions = {}) {
  const credentials: SoftCredential[] = [];
  const flags = (base: number) =>
    base |
    FLAG_UP |
    (options.verifiesUser === false ? 0 : FLAG_UV) |
    (options.synced ? FLAG_BE | FLAG_BS : 0);

  return {
    credentials,
    /** Answers `navigator.credentials.create()` for `origin`. */
    create(creation: CreationOptions, origin: string) {
      const rpId = creation.rp.id ?? new URL(origin).hostname;
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const credential: SoftCredential = {
        id: randomBytes(options.idBytes ?? 16),
        privateKey,
        publicKey,
        rpId,
        userHandle: creation.user.id,
        counter: 0,
      };
      credentials.push(credential);
      const clientDataJSON = JSON.stringify({
        type: 'webauthn.create',
        challenge: creation.challenge,
        origin,
        crossOrigin: false,
      });
      const fields = new Map<string, CBORType>();
      fields.set('fmt', 'none');
      fields.set('attStmt', new Map());
      fields.set('authData', new Uint8Array(authData(rpId, flags(FLAG_AT), 0, credential)));
      const attestationObject = encodeCBOR(fields);
      return {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(Buffer.from(clientDataJSON)),
          attestationObject: b64url(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
    /** Answers `navigator.credentials.get()` for `origin` with a credential (the first, by default). */
    get(request: RequestOptions, origin: string, credential = credentials[0]) {
      if (!credential) throw new Error('no credential');
      if (options.counts !== false) credential.counter += 1;
      const data = authData(
        request.rpId ?? credential.rpId,
        flags(0),
        options.counts === false ? 0 : credential.counter,
      );
      const clientDataJSON = Buffer.from(
        JSON.stringify({
          type: 'webauthn.get',
          challenge: request.challenge,
          origin,
          crossOrigin: false,
        }),
      );
      const signature = sign(
        'sha256',
        Buffer.concat([data, sha256(clientDataJSON)]),
        credential.privateKey,
      );
      return {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(clientDataJSON),
          authenticatorData: b64url(data),
          signature: b64url(signature),
          userHandle: credential.userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
}
