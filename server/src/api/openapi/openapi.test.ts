import { ERRORS } from '@otpkit/protocol';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { openApiPath } from './document.ts';

/**
 * Routes that are not API operations, and why. Anything else the app
 * registers must be in the document.
 */
const NOT_API: { method: string; path: string; why: string }[] = [
  // The widget's scripts (static files): `/otp-provider.js` and its lazy chunks.
  { method: 'GET', path: '/{file}', why: 'static widget scripts' },
  // The same scripts at SendOTP's path, so a migrating page changes only the script's host.
  { method: 'GET', path: '/app/assets/otp-provider/{file}', why: 'static widget scripts' },
  // The admin console's single-page app and its assets.
  { method: 'GET', path: '/console', why: 'console app' },
  { method: 'GET', path: '/console/*', why: 'console app' },
  // The magic-link pages a person opens from a message (HTML, CSRF-protected form).
  { method: 'GET', path: '/verify/{token}', why: 'magic-link page' },
  { method: 'POST', path: '/verify/{token}', why: 'magic-link page' },
  // The development outbox as a page (its JSON form, GET /dev/outbox, is documented).
  { method: 'GET', path: '/dev/outbox/view', why: 'development page' },
  // This document as a page.
  { method: 'GET', path: '/docs/api', why: 'API reference page' },
];

describe('/openapi.json', () => {
  let h: Harness;
  // biome-ignore lint/suspicious/noExplicitAny: the document is checked field by field
  let doc: any;
  beforeAll(async () => {
    // Every optional route group on: the dev outbox, Twilio and webhook reports.
    h = await createHarness({
      env: {
        OTPKIT_DEV_OUTBOX: 'true',
        OTPKIT_WEBHOOK_URL: 'https://gateway.example/send',
        OTPKIT_WEBHOOK_SECRET: 'webhook-secret-0123456789',
      },
    });
    doc = (await h.get('/openapi.json')).body;
  });
  afterAll(() => h.close());

  it('documents every route the app registers (except the listed pages)', () => {
    const registered = h.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: openApiPath(r.path) }));
    expect(registered.length).toBeGreaterThan(30);
    const missing = registered.filter(
      (r) =>
        !doc.paths[r.path]?.[r.method.toLowerCase()] &&
        !NOT_API.some((x) => x.method === r.method && x.path === r.path),
    );
    expect(missing, 'routes missing from the OpenAPI document (add them to a RouteGroup)').toEqual(
      [],
    );
  });

  it('documents no operation the app does not serve', () => {
    const registered = new Set(
      h.app.routes.map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
    );
    const phantom = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object)
        .map((m) => `${m} ${path}`)
        .filter((op) => !registered.has(op)),
    );
    expect(phantom).toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('covers the widget API and the admin API with their error codes', () => {
    const send = doc.paths['/api/v5/widget/sendOtpMobile'].post;
    expect(send.security).toEqual([{ tokenAuth: [] }, { authkey: [] }]);
    expect(send['x-error-codes']).toEqual(
      expect.arrayContaining(['INVALID_IDENTIFIER', 'RETRY_TOO_SOON', 'CAPTCHA_FAILED']),
    );
    expect(send.responses['429'].content['application/json'].schema.properties.code.enum).toEqual(
      expect.arrayContaining(['RETRY_TOO_SOON', 'RATE_LIMITED']),
    );
    expect(doc.paths['/api/v1/widgets/{widgetId}'].patch.responses['404'].description).toContain(
      'WIDGET_NOT_FOUND',
    );
    for (const methods of Object.values(doc.paths)) {
      for (const op of Object.values(methods as Record<string, { 'x-error-codes': string[] }>)) {
        for (const code of op['x-error-codes']) expect(Object.keys(ERRORS)).toContain(code);
      }
    }
    expect(doc.components.schemas.ErrorCode.enum).toEqual(Object.keys(ERRORS));
  });

  it('shows the schemas the routes validate with', async () => {
    const create = doc.paths['/api/v1/widgets'].post.requestBody.content['application/json'].schema;
    expect(create.properties.otpLength).toMatchObject({ minimum: 4, maximum: 9, default: 6 });
    expect(create.required).toEqual(['name']);
    const verify =
      doc.paths['/api/v5/widget/verifyOtp'].post.requestBody.content['application/json'].schema;
    expect(verify.required).toEqual(expect.arrayContaining(['widgetId', 'otp']));
    // …and the route refuses what the schema refuses.
    const res = await h.post('/api/v5/widget/verifyOtp', { widgetId: 42, otp: '123456' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'widgetId', message: 'must be a string' }]);
  });

  it('is served cacheable and readable from any origin', async () => {
    const res = await h.app.request('/openapi.json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(doc.servers).toEqual([{ url: h.services.config.publicUrl }]);
  });

  it('leaves out the dev outbox where it is off', async () => {
    const prod = await createHarness({ env: { OTPKIT_DEV_OUTBOX: 'false' } });
    try {
      const body = (await prod.get('/openapi.json')).body;
      expect(body.paths['/dev/outbox']).toBeUndefined();
      expect(doc.paths['/dev/outbox'].get).toBeDefined();
    } finally {
      await prod.close();
    }
  });
});

describe('/docs/api', () => {
  it('renders every operation with its errors, under a strict CSP', async () => {
    const h = await createHarness();
    try {
      const res = await h.app.request('/docs/api');
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toMatch(/unsafe-inline|script-src/);
      const page = await res.text();
      expect(page).toContain('<code>/api/v5/widget/sendOtpMobile</code>');
      expect(page).toContain('<code>/api/v1/widgets/{widgetId}</code>');
      expect(page).toContain('<code>INVALID_IDENTIFIER</code>');
      expect(page).not.toMatch(/<script/);
    } finally {
      await h.close();
    }
  });
});

describe('getAndPost', () => {
  it('describes one operation as a GET with a query and a POST with a body', async () => {
    const { z } = await import('zod');
    const { openApiDocument } = await import('./document.ts');
    const { getAndPost } = await import('../http/openapi-registry.ts');
    const fields = z.object({ mobile: z.string(), otp_length: z.number().int().optional() });
    const doc = openApiDocument(
      [
        {
          tag: 'v5',
          description: 'SendOTP v5',
          prefix: '/api/v5',
          routes: getAndPost({
            path: '/otp',
            operationId: 'sendOtpV5',
            summary: 'Send',
            security: ['authkey', 'authkeyQuery'],
            fields,
            response: { status: 200, description: 'ok' },
            errors: ['INVALID_IDENTIFIER'],
          }),
        },
      ],
      { serverUrl: 'http://x', version: '0' },
    );
    const get = doc.paths['/api/v5/otp']?.get as { parameters: { name: string; in: string }[] };
    const post = doc.paths['/api/v5/otp']?.post as { requestBody: { content: object } };
    expect(get.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'query:mobile',
      'query:otp_length',
    ]);
    expect(Object.keys(post.requestBody.content)).toContain('application/x-www-form-urlencoded');
    await expect(new Validator().validate(doc as never)).resolves.toMatchObject({ valid: true });
  });
});
