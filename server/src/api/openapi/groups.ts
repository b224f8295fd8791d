/**
 * Every route group the document describes, in the order the reference
 * shows them. A new group of routes adds its `RouteGroup` here (the
 * coverage test in openapi.test.ts fails until it does).
 */
import { z } from 'zod';
import { LOG_DOCS } from '../admin-v1/logs/openapi.ts';
import { ADMIN_API_DOCS } from '../admin-v1/openapi.ts';
import { DEV_OUTBOX_DOCS } from '../dev/openapi.ts';
import { ok, type RouteGroup } from '../http/openapi-registry.ts';
import { LEGACY_API_DOCS } from '../legacy/openapi.ts';
import { PASSKEY_ADMIN_DOCS, PASSKEY_WIDGET_DOCS } from '../passkeys/openapi.ts';
import { HOOK_DOCS } from '../provider-reports/openapi.ts';
import { SERVER_API_DOCS } from '../server-v5/openapi.ts';
import { WIDGET_API_DOCS } from '../widget-v5/openapi.ts';

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
      response: ok('The process answers.', z.object({ status: z.literal('ok') })),
      errors: [],
    },
    {
      method: 'get',
      path: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness',
      description:
        'Ready when the database answers, no migration is pending, the delivery worker has beaten recently, Redis answers (when `REDIS_URL` is set) and the process is not shutting down. Otherwise 503 `NOT_READY`, naming the failed checks (`store`, `migrations`, `worker`, `redis`, `shutdown`).',
      response: {
        status: 200,
        description: 'Ready to serve.',
        schema: z.object({
          status: z.literal('ready'),
          checks: z.record(z.string(), z.unknown()),
        }),
      },
      errors: ['NOT_READY'],
    },
    {
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description:
        'Requests by route and status, codes sent by channel and outcome, verifications by outcome, delivery latency, queue depth and age, rate-limit refusals, captcha failures, and process metrics.',
      security: ['metricsToken'],
      response: {
        status: 200,
        description: 'Prometheus text exposition format.',
        schema: z.string(),
        mediaType: 'text/plain; version=0.0.4',
      },
      errors: ['INVALID_METRICS_TOKEN'],
    },
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      summary: 'Access-token public keys (JWKS)',
      description:
        'The Ed25519 keys access tokens are signed with, for checking them offline. A retired key stays until its last token has expired.',
      response: ok(
        'A JSON Web Key Set.',
        z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
      ),
      errors: [],
    },
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This API description (OpenAPI 3.1)',
      response: ok('The OpenAPI document.', z.record(z.string(), z.unknown())),
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
    PASSKEY_WIDGET_DOCS,
    SERVER_API_DOCS,
    LEGACY_API_DOCS,
    ADMIN_API_DOCS,
    PASSKEY_ADMIN_DOCS,
    LOG_DOCS,
    HOOK_DOCS,
    SERVICE_DOCS,
    ...(options.devOutbox ? [DEV_OUTBOX_DOCS] : []),
  ];
}
