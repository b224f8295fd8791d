/**
 * A widget's brand colour as the popup's theme, worked out by the server
 * (widget data `brandTheme`) so the popup downloads no colour arithmetic:
 * text colours are chosen so everything drawn on or with the brand colour
 * keeps WCAG AA contrast (4.5:1).
 */

/** Theme colours derived from a brand colour (widget data `brandTheme`). */
export interface BrandTheme {
  /** Button backgrounds: the brand colour itself. */
  accent: string;
  /** Text on the accent: white or near-black, whichever reads (≥ 4.5:1). */
  onAccent: string;
  /** Links and focus rings on the light background: the brand colour, darkened until it reads on white. */
  link: string;
}

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const NEAR_BLACK: Rgb = [17, 17, 17];
const BLACK: Rgb = [0, 0, 0];

/** Reads `#rgb` or `#rrggbb`; anything else (including CSS injection attempts) is `undefined`. */
export function parseHexColor(color: string | null | undefined): Rgb | undefined {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color ?? '').trim());
  if (!match?.[1]) return undefined;
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join('') : match[1];
  const n = Number.parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const hexOf = (rgb: Rgb): string => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * WCAG contrast ratio of two colours (1 to 21).
 *
 * @example contrastRatio([255, 255, 255], [0, 0, 0]) // 21
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The theme for a brand colour, or `undefined` when it isn't a valid
 * `#rrggbb`/`#rgb` colour (the default theme then applies).
 *
 * @example brandTheme('#ffcc00') // { accent: '#ffcc00', onAccent: '#111111', link: '#…' }
 */
export function brandTheme(color: string | null | undefined): BrandTheme | undefined {
  const rgb = parseHexColor(color);
  if (!rgb) return undefined;
  // White when it reads; else near-black; pure black is the last resort (always ≥ 4.58:1).
  const onAccent = [WHITE, NEAR_BLACK].find((text) => contrastRatio(rgb, text) >= 4.5) ?? BLACK;
  let link: Rgb = rgb;
  for (let i = 0; i < 40 && contrastRatio(link, WHITE) < 4.5; i++) {
    link = link.map((c) => Math.floor(c * 0.9)) as unknown as Rgb;
  }
  return { accent: hexOf(rgb), onAccent: hexOf(onAccent), link: hexOf(link) };
}
