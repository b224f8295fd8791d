/**
 * What each HTTP route declares about itself for the OpenAPI document:
 * method, path, request schemas (the zod schemas the route validates with),
 * success response, and the error codes it can answer with. Each route
 * folder exports a {@link RouteGroup} beside its `routes.ts`; `openapi/`
 * gathers them into the document. The types live here, beside the other
 * helpers every API folder shares, so that the API folders and `openapi/`
 * import it without importing each other.
 */
import type { ERRORS } from '@otpkit/protocol';
import { z } from 'zod';

/** A stable error code from the protocol catalogue. */
export type ErrorCode = keyof typeof ERRORS;

/**
 * An operation's error list, from the lists its services declare beside
 * them (`errorCodes(…)`), without repeats.
 *
 * @example errors: errorsOf(AUTHENTICATE_ERRORS, REVOKE_AUTHKEY_ERRORS)
 */
export function errorsOf(...lists: readonly (readonly ErrorCode[])[]): ErrorCode[] {
  return [...new Set(lists.flat())];
}

/** How a caller authenticates; a route lists the alternatives it accepts. */
export type SecurityScheme =
  | 'authkey'
  | 'authkeyQuery'
  | 'tokenAuth'
  | 'twilioSignature'
  | 'webhookSignature'
  | 'telegramSignature'
  | 'hubSignature'
  | 'vonageSignature'
  | 'plivoSignature'
  | 'metricsToken';

/** One operation. */
export interface ApiRoute {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style, relative to the group prefix: `/widgets/:widgetId`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Markdown. */
  readonly description?: string;
  /** Accepted alternatives; empty or absent: no authentication. */
  readonly security?: readonly SecurityScheme[];
  /** Descriptions of the path parameters, by name. */
  readonly params?: Readonly<Record<string, string>>;
  /** The query string, as an object schema (each property one parameter). */
  readonly query?: z.ZodObject;
  /** The body, with the media types it may come as (JSON by default). */
  readonly body?: z.ZodType;
  readonly bodyMediaTypes?: readonly string[];
  readonly response: {
    readonly status: number;
    readonly description: string;
    /** Absent for an empty body (204). */
    readonly schema?: z.ZodType;
    /** `application/json` by default. */
    readonly mediaType?: string;
  };
  /** Every error code this operation can answer with (shared ones are added by the document). */
  readonly errors: readonly ErrorCode[];
}

/** An admin API operation: the account's `authkey` header authenticates it. */
export function admin(route: Omit<ApiRoute, 'security'>): ApiRoute {
  return { ...route, security: ['authkey'] };
}

/** A 200 answer with a JSON body. */
export function ok(description: string, schema: z.ZodType): ApiRoute['response'] {
  return { status: 200, description, schema };
}

/** A 201 answer with a JSON body. */
export function created(description: string, schema: z.ZodType): ApiRoute['response'] {
  return { status: 201, description, schema };
}

/** A 204 answer. */
export const deleted: ApiRoute['response'] = { status: 204, description: 'Done; no body.' };

/** A 200 answer whose body is text of another media type (a download, a page, XML). */
export function text(description: string, mediaType: string): ApiRoute['response'] {
  return { status: 200, description, mediaType, schema: z.string() };
}

/** The routes one `app.route(prefix, …)` mounts, under one tag. */
export interface RouteGroup {
  readonly tag: string;
  readonly description: string;
  readonly prefix: string;
  readonly routes: readonly ApiRoute[];
}

/**
 * One operation served as both `GET` (parameters in the query) and `POST`
 * (the same parameters as a JSON or form body), as the SendOTP v5 API is.
 *
 * @example ...getAndPost({ path: '/otp', operationId: 'sendOtp', fields: sendOtpFields, … })
 */
export function getAndPost(
  route: Omit<ApiRoute, 'method' | 'query' | 'body' | 'bodyMediaTypes'> & {
    /** The parameters: the GET's query, the POST's body. */
    readonly fields: z.ZodObject;
  },
): ApiRoute[] {
  const { fields, operationId, summary, ...rest } = route;
  return [
    {
      ...rest,
      method: 'get',
      operationId: `${operationId}Get`,
      summary: `${summary} (GET, query string)`,
      query: fields,
    },
    {
      ...rest,
      summary: `${summary} (POST, body)`,
      method: 'post',
      operationId,
      body: fields,
      bodyMediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
    },
  ];
}
