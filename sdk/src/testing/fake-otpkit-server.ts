/**
 * A small stand-in for an otpkit server, for the SDK's tests: it publishes a
 * JWKS, signs access tokens, and answers `verifyAccessToken` the way the
 * real server does (single use, authkey check, `widgetId` check, `demo`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessTokenClaims, ErrorBody, VerifyAccessTokenSuccess } from '@otpkit/protocol';
import { ERRORS, type ErrorCode } from '@otpkit/protocol';
import { type CryptoKey, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

export const TEST_AUTHKEY = 'test-authkey';
export const TEST_WIDGET_ID = 'widget-123';
export const TEST_KID = 'key-1';

/** A handler that replaces the default `verifyAccessToken` behaviour. */
export type VerifyHandler = (body: unknown) => { status: number; body: unknown } | 'hang';

export interface FakeOtpkitServer {
  /** `http://localhost:PORT`, also the `iss` of the tokens it signs. */
  url: string;
  /** The private key, to sign tokens by hand in tests. */
  privateKey: CryptoKey;
  /** Signs an access token; `claims` override the defaults (`undefined` removes one). */
  signToken(claims?: Partial<Record<keyof AccessTokenClaims, unknown>>): Promise<string>;
  /** Replaces the `verifyAccessToken` behaviour (`undefined` restores the default). */
  onVerify(handler: VerifyHandler | undefined): void;
  /** How many times each path was requested. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeOtpkitServer(): Promise<FakeOtpkitServer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  const jwk = { ...(await exportJWK(publicKey)), kid: TEST_KID, alg: 'EdDSA', use: 'sig' };
  const used = new Set<string>();
  const hits = new Map<string, number>();
  let customVerify: VerifyHandler | undefined;
  let url = '';

  const defaultVerify = async (body: unknown): Promise<{ status: number; body: unknown }> => {
    const fields = (body ?? {}) as Record<string, unknown>;
    if (fields.authkey !== TEST_AUTHKEY) return failure('INVALID_AUTHKEY');
    const token = fields['access-token'];
    if (typeof token !== 'string') return failure('INVALID_REQUEST');
    try {
      const { payload } = await jwtVerify(token, publicKey, { algorithms: ['EdDSA'], issuer: url });
      if (fields.widgetId !== undefined && fields.widgetId !== payload.aud) {
        return failure('TOKEN_INVALID'); // and the token stays unused
      }
      if (used.has(String(payload.jti))) return failure('TOKEN_ALREADY_VERIFIED');
      used.add(String(payload.jti));
      const success: VerifyAccessTokenSuccess = {
        type: 'success',
        message: String(payload.sub),
        identifier: String(payload.sub),
        widgetId: String(payload.aud),
        channel: String(payload.channel),
        verifiedAt: new Date(Number(payload.iat) * 1000).toISOString(),
        ...(Array.isArray(payload.amr) ? { amr: payload.amr.map(String) } : {}),
        demo: payload.demo === true,
      };
      return { status: 200, body: success };
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      return failure(expired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', url).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (req.method === 'GET' && path === '/.well-known/jwks.json') {
      return send(res, 200, { keys: [jwk] });
    }
    if (req.method === 'POST' && path === '/api/v5/widget/verifyAccessToken') {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, failure('INVALID_REQUEST').body);
      }
      const answer = customVerify ? customVerify(body) : await defaultVerify(body);
      if (answer === 'hang') return; // never answers: for timeouts
      return send(res, answer.status, answer.body);
    }
    send(res, 404, failure('NOT_FOUND').body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, failure('INTERNAL_ERROR').body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    privateKey,
    hits,
    onVerify(handler) {
      customVerify = handler;
    },
    async signToken(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const all: Record<string, unknown> = {
        iss: url,
        sub: '919999999999',
        aud: TEST_WIDGET_ID,
        jti: `jti-${Math.random().toString(36).slice(2)}`,
        iat: now,
        exp: now + 300,
        reqId: 'req-1',
        channel: 'sms',
        ...claims,
      };
      for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
      return new SignJWT(all).setProtectedHeader({ alg: 'EdDSA', kid: TEST_KID }).sign(privateKey);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function failure(code: ErrorCode): { status: number; body: ErrorBody } {
  return {
    status: ERRORS[code].status,
    body: { type: 'error', message: ERRORS[code].message, code },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
