/**
 * Whether a widget can be used from browsers as it stands: in production
 * (unless the server runs with OTPKIT_ALLOW_ANY_ORIGIN=true) a widget that
 * lists no allowed origins refuses every site with ORIGIN_NOT_ALLOWED.
 */
import type { Meta } from '@otpkit/protocol';

/** What the console knows of the server; an older server's `/meta` has no `allowAnyOrigin`. */
type OriginsMeta = Partial<Pick<Meta, 'allowAnyOrigin'>>;

/** The warning for a widget with these allowed origins on this server, or null when there is none. */
export function originsWarning(
  allowedOrigins: readonly string[],
  meta: OriginsMeta | null,
): string | null {
  // An older server (or one not yet asked) says nothing: no warning rather than a wrong one.
  if (allowedOrigins.length > 0 || meta?.allowAnyOrigin !== false) return null;
  return 'In production browsers may use a widget only from the sites listed in its Allowed origins, and this one lists none, so every site gets ORIGIN_NOT_ALLOWED. Add the origins of the sites that embed it (mobile apps and servers are not affected), or start the server with OTPKIT_ALLOW_ANY_ORIGIN=true to allow any site.';
}

/** The hint under the Allowed origins field, saying what an empty list means on this server. */
export function allowedOriginsHint(meta: OriginsMeta | null): string {
  const empty =
    meta?.allowAnyOrigin === false
      ? 'Empty: no site (this server runs in production).'
      : 'Empty: any site (in production: none, unless OTPKIT_ALLOW_ANY_ORIGIN=true).';
  return `One per line, e.g. https://shop.example. Only these sites may run the widget. ${empty}`;
}
