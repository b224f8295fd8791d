/**
 * The one change a SendOTP app makes: where its SDK points. The SDKs call
 * the global `fetch` with the hard-coded `https://control.msg91.com`; this
 * wrapper rewrites that origin to the otpkit server and leaves everything
 * else of the request (path, query, method, headers, body) untouched.
 */
export const SENDOTP_ORIGIN = 'https://control.msg91.com';

/** Installs the wrapper; returns a function that restores the original fetch and the calls seen. */
export function redirectSendOtp(to: string): { calls: string[]; restore(): void } {
  const original = globalThis.fetch;
  const calls: string[] = [];
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(`${SENDOTP_ORIGIN}/`)) {
      calls.push(url.slice(SENDOTP_ORIGIN.length));
      return original(`${to}${url.slice(SENDOTP_ORIGIN.length)}`, init);
    }
    return original(input, init);
  };
  return {
    calls,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}
