import { describe, expect, it } from 'vitest';
import { allowedOriginsHint, originsWarning } from './origins.ts';

describe('originsWarning', () => {
  it('warns about a widget without allowed origins on a server that enforces them', () => {
    expect(originsWarning([], { allowAnyOrigin: false })).toMatch(/ORIGIN_NOT_ALLOWED/);
    expect(originsWarning([], { allowAnyOrigin: false })).toMatch(/OTPKIT_ALLOW_ANY_ORIGIN=true/);
  });

  it('says nothing when origins are listed, any origin is allowed, or the server did not say', () => {
    expect(originsWarning(['https://shop.example'], { allowAnyOrigin: false })).toBeNull();
    expect(originsWarning([], { allowAnyOrigin: true })).toBeNull();
    expect(originsWarning([], {})).toBeNull();
    expect(originsWarning([], null)).toBeNull();
  });

  it('explains what an empty list means on this server', () => {
    expect(allowedOriginsHint({ allowAnyOrigin: false })).toMatch(/Empty: no site/);
    expect(allowedOriginsHint({ allowAnyOrigin: true })).toMatch(/Empty: any site/);
  });
});
