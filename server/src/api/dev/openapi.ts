/** The development outbox's JSON operation for the OpenAPI document (development only). */
import { CHANNELS } from '@otpkit/protocol';
import { z } from 'zod';
import type { RouteGroup } from '../http/openapi-registry.ts';

/** `GET /dev/outbox` query. */
export const outboxQuery = z.object({
  to: z.string().optional().describe('Only messages to this recipient.'),
  limit: z.string().regex(/^\d+$/).optional().describe('At most this many, 1–500 (50).'),
});

/** `/dev/outbox` (only when `OTPKIT_DEV_OUTBOX` is on; never in production). */
export const DEV_OUTBOX_DOCS: RouteGroup = {
  tag: 'Development',
  description:
    'The development outbox: messages otpkit would have sent, stored instead (never in production). It answers this machine only (a loopback client; behind a proxy, the address `OTPKIT_TRUST_PROXY` trusts): others get `404 NOT_FOUND`.',
  prefix: '/dev/outbox',
  routes: [
    {
      method: 'get',
      path: '/',
      operationId: 'listOutbox',
      summary: 'List outbox messages',
      description: 'Newest first. `/dev/outbox/view` shows the same as a page.',
      query: outboxQuery,
      response: {
        status: 200,
        description: 'The messages.',
        schema: z.array(
          z.object({
            to: z.string(),
            channel: z.enum(CHANNELS),
            subject: z.string().optional(),
            text: z.string(),
            requestId: z.string().nullable(),
            createdAt: z.string(),
          }),
        ),
      },
      errors: ['NOT_FOUND'],
    },
  ],
};
