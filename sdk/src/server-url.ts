/**
 * Normalises the otpkit server URL: an absolute http(s) URL, without a
 * trailing slash, so it can be compared with the `iss` claim and have paths
 * appended.
 *
 * @throws TypeError when the value is not an absolute http(s) URL.
 */
export function normalizeServerUrl(serverUrl: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(serverUrl));
  } catch {
    throw new TypeError(`otpkit: serverUrl must be an absolute URL, got ${String(serverUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`otpkit: serverUrl must use http or https, got ${url.protocol}`);
  }
  // `search` and `hash` would break every path appended below.
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}
