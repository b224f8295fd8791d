/**
 * The widget's brand in the popup: its logo, and its theme (worked out by
 * the server from `brandColor`: protocol/src/brand.ts) as custom properties.
 */
import type { BrandTheme } from '@otpkit/protocol';

/**
 * A logo URL the popup may show: absolute `https:` or `http:` only (no
 * `javascript:`, no page-relative paths that would hit the customer's site).
 */
export function logoSource(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A theme as custom properties for an element's `style`: set through
 * the CSSOM, so it works under a page CSP without 'unsafe-inline'.
 */
export function themeStyle(theme: BrandTheme): Record<string, string> {
  return {
    '--otpkit-accent': theme.accent,
    '--otpkit-on-accent': theme.onAccent,
    '--otpkit-link': theme.link,
  };
}
