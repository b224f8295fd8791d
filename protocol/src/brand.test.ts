import { describe, expect, it } from 'vitest';
import { brandTheme, contrastRatio, parseHexColor } from './brand.ts';

describe('brandTheme', () => {
  it('puts white text on dark brand colours and near-black on light ones', () => {
    expect(brandTheme('#1d4ed8')?.onAccent).toBe('#ffffff');
    expect(brandTheme('#0a7d4f')?.onAccent).toBe('#ffffff');
    expect(brandTheme('#ffcc00')?.onAccent).toBe('#111111');
    expect(brandTheme('#FFF')?.onAccent).toBe('#111111');
  });

  it('keeps at least 4.5:1 between the accent and its text, for any colour', () => {
    for (let r = 0; r <= 255; r += 17) {
      for (let g = 0; g <= 255; g += 17) {
        for (let b = 0; b <= 255; b += 17) {
          const hex = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
          const theme = brandTheme(hex)!;
          const ratio = contrastRatio(parseHexColor(theme.accent)!, parseHexColor(theme.onAccent)!);
          expect(ratio, hex).toBeGreaterThanOrEqual(4.5);
          const link = contrastRatio(parseHexColor(theme.link)!, [255, 255, 255]);
          expect(link, `${hex} link`).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
  });

  it('ignores anything but #rgb / #rrggbb', () => {
    expect(brandTheme(null)).toBeUndefined();
    expect(brandTheme('red')).toBeUndefined();
    expect(brandTheme('#12345')).toBeUndefined();
    expect(brandTheme('#fff;background:url(x)')).toBeUndefined();
  });
});
