/**
 * The OpenAPI 3.1 document, built from the route groups' declarations: the
 * same zod schemas the routes validate with become the JSON Schemas, and
 * each operation lists the error codes (from the protocol catalogue) it can
 * answer with.
 */
import { ERRORS } from '@otpkit/protocol';
import { z } from 'zod';
import type { ApiRoute, ErrorCode, RouteGroup, SecurityScheme } from '../http/openapi-registry.ts';

type Json = Record<string, unknown>;

/** An OpenAPI document (only what otpkit produces is typed). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Json>>;
  components: { securitySchemes: Record<SecurityScheme, Json>; schemas: Record<string, Json> };
}

const SECURITY_SCHEMES: Record<SecurityScheme, Json> = {
  authkey: {
    type: 'apiKey',
    in: 'header',
    name: 'authkey',
    description:
      'An account authkey (`otpkit authkey create`, or the console). Server to server only: never in a page.',
  },
  authkeyQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'authkey',
    description: 'The account authkey as a query parameter, as SendOTP v5 clients may send it.',
  },
  tokenAuth: {
    type: 'apiKey',
    in: 'header',
    name: 'tokenauth',
    description:
      'A widget token, as the SendOTP SDKs send it: `tokenAuth` in the JSON body (or query for GET calls), or the `tokenauth` header.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      '`OTPKIT_METRICS_TOKEN`. Required in production; without it, in development, `/metrics` answers loopback clients only.',
  },
  twilioSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description: "Twilio's request signature under `OTPKIT_TWILIO_AUTH_TOKEN`.",
  },
  telegramSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Request-Signature',
    description:
      'Telegram Gateway: hex HMAC-SHA-256 of `X-Request-Timestamp + "\\n" + body`, keyed by SHA-256 of `OTPKIT_TELEGRAM_GATEWAY_TOKEN`.',
  },
  hubSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hub-Signature-256',
    description: 'Meta: `sha256=<hex HMAC-SHA256 of the body>` under `OTPKIT_WHATSAPP_APP_SECRET`.',
  },
  vonageSignature: {
    type: 'apiKey',
    in: 'query',
    name: 'sig',
    description:
      'Vonage signed webhooks under `OTPKIT_VONAGE_SIGNATURE_SECRET` (MD5 hash or HMAC-SHA256 of the sorted parameters), with a recent `timestamp`.',
  },
  plivoSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Plivo-Signature-V3',
    description:
      'Plivo: base64 HMAC-SHA256 under `OTPKIT_PLIVO_AUTH_TOKEN` of the URL, the sorted parameters and `X-Plivo-Signature-V3-Nonce`.',
  },
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Otpkit-Signature',
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` under `OTPKIT_WEBHOOK_SECRET`.',
  },
};

/** Errors every operation of a kind can answer with, added to what the route lists. */
function sharedErrors(route: ApiRoute, prefix: string): ErrorCode[] {
  const codes: ErrorCode[] = ['INTERNAL_ERROR'];
  const api = `${prefix}${route.path}`.startsWith('/api/');
  // Any API call: a NUL character in its path or query (app.ts), or a request Hono refuses.
  if (api) codes.push('INVALID_REQUEST');
  if (route.body && api) codes.push('INVALID_JSON', 'PAYLOAD_TOO_LARGE');
  // Authkey calls are limited per client network, and wrong authkeys lock a network out a while.
  if (route.security?.includes('authkey')) codes.push('INVALID_AUTHKEY', 'RATE_LIMITED');
  if (route.security?.includes('tokenAuth')) codes.push('INVALID_TOKEN_AUTH');
  return codes;
}

/** A zod schema as a JSON Schema (2020-12, which OpenAPI 3.1 uses), without `$schema`. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return json;
}

/** `/widgets/:widgetId` → `/widgets/{widgetId}`; `/:file{[a-z]+\.js}` → `/{file}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, '{$1}');
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}

function errorResponses(codes: readonly ErrorCode[]): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...new Set(codes)]) {
    const status = ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join('\n\n'),
      content: {
        'application/json': {
          schema: {
            allOf: [{ $ref: '#/components/schemas/Error' }],
            properties: { code: { enum: list } },
          },
        },
      },
    };
  }
  return responses;
}

function operation(group: RouteGroup, route: ApiRoute, path: string): Json {
  const parameters: Json[] = [];
  for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
    parameters.push({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(route.params?.[name] ? { description: route.params[name] } : {}),
    });
  }
  if (route.query) {
    const query = jsonSchemaOf(route.query, 'input') as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  const errors = [...new Set([...route.errors, ...sharedErrors(route, group.prefix)])];
  const { response } = route;
  const success: Json = { description: response.description };
  if (response.status !== 204) {
    success.content = {
      [response.mediaType ?? 'application/json']: response.schema
        ? { schema: jsonSchemaOf(response.schema, 'output') }
        : {},
    };
  }
  const op: Json = {
    operationId: route.operationId,
    tags: [group.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: (route.security ?? []).map((s) => ({ [s]: [] })),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: { [String(response.status)]: success, ...errorResponses(errors) },
    'x-error-codes': errors,
  };
  if (route.body) {
    const schema = jsonSchemaOf(route.body, 'input');
    op.requestBody = {
      required: true,
      content: Object.fromEntries(
        (route.bodyMediaTypes ?? ['application/json']).map((t) => [t, { schema }]),
      ),
    };
  }
  return op;
}

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['type', 'code', 'message'],
  properties: {
    type: { const: 'error' },
    code: { $ref: '#/components/schemas/ErrorCode' },
    message: { type: 'string', description: 'For people; never contains a secret.' },
    retryAfter: {
      type: 'integer',
      description:
        'Seconds to wait (`RETRY_TOO_SOON`, `RATE_LIMITED`; also the `Retry-After` header).',
    },
    attemptsLeft: { type: 'integer', description: 'Codes left to try (`OTP_MISMATCH`).' },
    fields: {
      type: 'array',
      description: 'Each invalid field and what it must be (`INVALID_REQUEST`).',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
    requestId: { type: 'string', description: 'Quote it to the operator (`INTERNAL_ERROR`).' },
  },
};

/**
 * Builds the document for a server.
 *
 * @example openApiDocument(apiGroups({ devOutbox: false }), { serverUrl: 'https://otp.example' })
 */
export function openApiDocument(
  groups: readonly RouteGroup[],
  options: { serverUrl: string; version: string },
): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const group of groups) {
    for (const route of group.routes) {
      const path = openApiPath(joinPath(group.prefix, route.path));
      paths[path] ??= {};
      paths[path][route.method] = operation(group, route, path);
    }
  }
  const codes = Object.keys(ERRORS) as ErrorCode[];
  return {
    openapi: '3.1.0',
    info: {
      title: 'otpkit API',
      version: options.version,
      description:
        'Phone and email verification: the SendOTP-compatible widget API, the admin API, delivery reports and the service endpoints. ' +
        'Every failure is `{"type":"error","code":…,"message":…}` with the HTTP status of its code; each operation lists the codes it can return.',
    },
    servers: [{ url: options.serverUrl }],
    tags: groups.map((g) => ({ name: g.tag, description: g.description })),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: {
        Error: ERROR_SCHEMA,
        ErrorCode: {
          type: 'string',
          enum: codes,
          description: codes
            .map((c) => `- \`${c}\` (${ERRORS[c].status}): ${ERRORS[c].message}`)
            .join('\n'),
        },
      },
    },
  };
}
