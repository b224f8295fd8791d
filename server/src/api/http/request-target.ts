/**
 * Absolute-form request targets (`POST https://api.msg91.com/api/v5/otp?… HTTP/1.1`):
 * what an HTTP client sends to a forward proxy. SendOTP's clients pointed at
 * otpkit through `HTTPS_PROXY` (the `msg91` package's axios does this) send
 * them, so the server accepts them by reading only their path and query.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
} from 'node:http';

/**
 * The origin-form (`/path?query`) of an absolute-form target; any other
 * target unchanged. The scheme and authority of an absolute target are
 * dropped on purpose: the request is then read exactly as if it had been
 * sent in origin-form with the same `Host` header, so an absolute target can
 * never make the server believe it is some other origin (the public origin
 * comes from `OTPKIT_PUBLIC_URL` anyway).
 *
 * @example originForm('https://api.msg91.com/api/v5/otp?mobile=91') // '/api/v5/otp?mobile=91'
 */
export function originForm(target: string): string {
  if (target.startsWith('/') || !/^https?:\/\//i.test(target)) return target;
  try {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  } catch {
    // Not a URL: left for the HTTP layer to refuse with a 400.
    return target;
  }
}

/** `http.createServer`, with absolute-form targets rewritten to origin-form before routing. */
export function createOriginFormServer(options: ServerOptions, listener?: RequestListener): Server {
  return createServer(options, (request: IncomingMessage, response) => {
    if (request.url) request.url = originForm(request.url);
    listener?.(request, response);
  });
}
