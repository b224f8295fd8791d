/**
 * Every route group the document describes, in the order the reference
 * shows them. A new group of routes adds its `RouteGroup` here (the
 * coverage test in openapi.test.ts fails until it does).
 */
import { z } from 'zod';
import { ADMIN_API_DOCS } from '../admin-api/openapi.ts';
import { DEV_OUTBOX_DOCS } from '../dev/openapi.ts';
import { HOOK_DOCS } from '../hooks/openapi.ts';
import { LOG_DOCS } from '../logs/openapi.ts';
import { WIDGET_API_DOCS } from '../widget-api/openapi.ts';
import type { RouteGroup } from './registry.ts';

/** The routes `app.ts` defines itself. */
export const SERVICE_DOCS: RouteGroup = {
  tag: 'Service',
  description: 'Health, the access-token keys, and this description.',
  prefix: '',
  routes: [
    {
      method: 'get',
      path: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness',
      response: {
        status: 200,
        description: 'The process answers.',
        schema: z.object({ status: z.literal('ok') }),
      },
      errors: [],
    },
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      summary: 'Access-token public keys (JWKS)',
      description:
        'The Ed25519 keys access tokens are signed with, for checking them offline. A retired key stays until its last token has expired.',
      response: {
        status: 200,
        description: 'A JSON Web Key Set.',
        schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
      },
      errors: [],
    },
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This API description (OpenAPI 3.1)',
      response: {
        status: 200,
        description: 'The OpenAPI document.',
        schema: z.record(z.string(), z.unknown()),
      },
      errors: [],
    },
  ],
};

/**
 * The groups a server with these options serves.
 *
 * @example openApiDocument(apiGroups({ devOutbox: true }), { serverUrl, version })
 */
export function apiGroups(options: { devOutbox: boolean }): RouteGroup[] {
  return [
    WIDGET_API_DOCS,
    ADMIN_API_DOCS,
    LOG_DOCS,
    HOOK_DOCS,
    SERVICE_DOCS,
    ...(options.devOutbox ? [DEV_OUTBOX_DOCS] : []),
  ];
}
