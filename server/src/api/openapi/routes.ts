/**
 * `GET /openapi.json` (the OpenAPI 3.1 document, readable from anywhere) and
 * `GET /docs/api` (the same, as a page).
 */
import { Hono } from 'hono';
import { OTPKIT_VERSION } from '../../platform/version.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { type OpenApiDocument, openApiDocument } from './document.ts';
import { apiGroups } from './groups.ts';
import { REFERENCE_STYLE_HASH, referencePage } from './reference-page.ts';

/** The description routes. */
export function openApiRoutes(services: Services): Hono<AppEnv> {
  const { config } = services;
  const app = new Hono<AppEnv>();
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  // Built on first use: the schemas do not change while the server runs.
  const document = () =>
    (doc ??= openApiDocument(apiGroups({ devOutbox: config.devOutbox }), {
      serverUrl: config.publicUrl,
      version: OTPKIT_VERSION,
    }));

  app.get('/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(document());
  });

  app.get('/docs/api', (c) => {
    page ??= referencePage(document());
    c.header('Cache-Control', 'public, max-age=300');
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src ${REFERENCE_STYLE_HASH}; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    c.header('X-Frame-Options', 'DENY');
    return c.html(page);
  });

  return app;
}
