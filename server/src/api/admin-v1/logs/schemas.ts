/**
 * The logs and analytics query parameters as zod schemas. The routes accept
 * exactly the parameters these shapes name (anything else is refused) and
 * read each with the parsers in query.ts, which name the bad parameter; the
 * OpenAPI document shows these shapes.
 */
import {
  CHANNELS,
  CONTACT_POINTS,
  DELIVERY_ATTEMPT_STATUSES,
  LOG_STATUSES,
  MESSAGE_PURPOSES,
  MESSAGE_STATUSES,
} from '@otpkit/protocol';
import { z } from 'zod';
import type { FILTER_PARAMS } from '../../../core/logs/query.ts';
import { LOG_FIELDS } from '../../../core/logs/view.ts';

const time = (edge: string) =>
  z
    .string()
    .optional()
    .describe(
      `${edge}: an ISO date (\`2025-03-31\`; as \`to\`, the end of that day), an ISO date-time, or epoch milliseconds.`,
    );
const bool = (what: string) => z.enum(['true', 'false']).optional().describe(what);

/** The filter parameters `GET /logs` and `GET /logs/export` share. */
const filter: { [K in (typeof FILTER_PARAMS)[number]]: z.ZodType } = {
  from: time('Created at or after'),
  to: time('Created at or before'),
  reqId: z.string().max(100).optional().describe('One request.'),
  identifier: z
    .string()
    .max(254)
    .optional()
    .describe('A mobile number (with country code) or email; a number prefix finds a country.'),
  widgetId: z.string().max(100).optional(),
  channel: z
    .array(z.enum(CHANNELS))
    .optional()
    .describe('Repeat for several (`channel=sms&channel=voice`).'),
  resendCount: z.string().regex(/^\d+$/).optional().describe('Resends, compared with resendOp.'),
  resendOp: z.enum(['gt', 'lt', 'eq']).optional().describe('How to compare resendCount (eq).'),
  otpVerified: bool('Whether the code was verified.'),
  tokenVerified: bool('Whether the access token was verified by the customer’s backend.'),
};
const page = {
  cursor: z.string().optional().describe('`nextCursor` of the previous page.'),
  limit: z.string().regex(/^\d+$/).optional().describe('Entries per page, 1–500 (50).'),
};

/** `GET /logs`. */
export const logsQuery = z.object({ ...filter, ...page });

/** `GET /logs/refused`. */
export const refusedQuery = z.object({
  from: time('At or after (default: 30 days ago)'),
  to: time('At or before (default: now)'),
  widgetId: z.string().optional(),
  ...page,
});

/** `GET /logs/export`. */
export const logsExportQuery = z.object({
  ...filter,
  format: z.enum(['csv', 'json']).optional().describe('csv (default) or json.'),
  fields: z
    .string()
    .optional()
    .describe(`Comma-separated, among ${LOG_FIELDS.join(', ')} (default: all).`),
  maskIdentifiers: bool('Mask the middle of each identifier.'),
});

const analytics = {
  from: time('Start (default: 30 days before `to`)'),
  to: time('End (default: now)'),
  widget: z.string().optional().describe('One widget (`widgetId` is accepted too).'),
  widgetId: z.string().optional(),
  groupBy: z
    .enum(['day', 'hour'])
    .optional()
    .describe('Bucket size (day); at most 400 days by day, 31 by hour.'),
};

/** `GET /analytics`. */
export const analyticsQuery = z.object(analytics);

/** `GET /analytics/export`. */
export const analyticsExportQuery = z.object({
  ...analytics,
  format: z.enum(['csv']).optional(),
});

/** The names a query schema accepts (what `refuseUnknown` allows). */
export const paramsOf = (schema: z.ZodObject): string[] => Object.keys(schema.shape);

const isoTime = z.string().describe('ISO 8601 time.');
const nullable = z.string().nullable();

/** A log entry as the API returns it. */
export const logEntryView = z.object({
  reqId: z.string(),
  widgetId: z.string(),
  widgetName: nullable,
  identifier: z.string(),
  contactPoint: z.enum(CONTACT_POINTS),
  country: nullable,
  channels: z.array(z.enum(CHANNELS)),
  channel: z.enum(CHANNELS),
  status: z.enum(LOG_STATUSES),
  resendCount: z.number().int(),
  fallbackCount: z.number().int(),
  attempts: z.number().int(),
  otpVerified: z.boolean(),
  otpVerifiedAt: nullable,
  tokenVerified: z.boolean(),
  tokenVerifiedAt: nullable,
  demo: z.boolean(),
  ip: nullable,
  host: nullable,
  userAgent: nullable,
  createdAt: isoTime,
  updatedAt: isoTime,
  expiresAt: isoTime,
});

/** One request with its messages, delivery attempts and API calls. */
export const logDetailView = logEntryView.extend({
  messages: z.array(
    z.object({
      messageId: z.string(),
      channel: z.enum(CHANNELS),
      purpose: z.enum(MESSAGE_PURPOSES),
      status: z.enum(MESSAGE_STATUSES),
      attempts: z.number().int(),
      provider: nullable,
      error: nullable,
      createdAt: isoTime,
      sentAt: nullable,
      deliveredAt: nullable,
      deliveries: z.array(
        z.object({
          attempt: z.number().int(),
          status: z.enum(DELIVERY_ATTEMPT_STATUSES),
          provider: nullable,
          error: nullable,
          createdAt: isoTime,
        }),
      ),
    }),
  ),
  events: z.array(
    z.object({
      kind: z.string(),
      outcome: z.string(),
      ip: nullable,
      host: nullable,
      userAgent: nullable,
      createdAt: isoTime,
    }),
  ),
});

/** A refused call that created no request. */
export const refusedView = z.object({
  at: isoTime,
  widgetId: nullable,
  kind: z.string(),
  code: z.string().describe('The error code it was refused with.'),
  identifier: nullable,
  ip: nullable,
  host: nullable,
  userAgent: nullable,
});

const metrics = {
  requests: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  verified: z.number().int(),
  conversionRate: z.number().nullable().describe('verified / requests (null with no requests).'),
  medianVerifySeconds: z
    .number()
    .nullable()
    .describe('Median seconds from the first send to verification.'),
};
const bucket = z.object({ bucket: z.string(), ...metrics });

/** The analytics report: totals, a series per bucket, per channel and per country. */
export const analyticsView = z.object({
  from: isoTime,
  to: isoTime,
  groupBy: z.enum(['day', 'hour']),
  widgetId: nullable,
  totals: z.object(metrics),
  series: z.array(bucket),
  channels: z.array(
    z.object({ channel: z.enum([...CHANNELS, 'passkey']), series: z.array(bucket), ...metrics }),
  ),
  countries: z.array(z.object({ country: nullable, ...metrics })),
  passkeys: z
    .object({ signIns: z.number(), messagesSaved: z.number() })
    .describe('Passkey sign-ins (channel `passkey`) and the messages they saved.'),
  providers: z
    .array(
      z.object({
        provider: z.string(),
        channel: z.enum(CHANNELS),
        sent: z.number().int().describe('Hand-overs the provider accepted.'),
        failed: z.number().int().describe('Hand-overs it refused or could not take.'),
        failovers: z
          .number()
          .int()
          .describe('Refusals for a passing reason that moved the message to the next provider.'),
        delivered: z.number().int().describe('Messages it reported delivered.'),
        meanLatencyMs: z
          .number()
          .nullable()
          .describe('Mean milliseconds from queueing a message to its acceptance.'),
      }),
    )
    .describe('Per delivery provider and channel.'),
});
