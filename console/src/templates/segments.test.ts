import { describe, expect, it } from 'vitest';
import { nonGsmCharacters, smsSegments, templateVariables } from './segments.ts';

describe('smsSegments', () => {
  it('counts GSM-7: 160 in one segment, then 153 per segment', () => {
    expect(smsSegments('')).toMatchObject({ units: 0, segments: 0 });
    expect(smsSegments('a'.repeat(160))).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
      remaining: 0,
    });
    expect(smsSegments('a'.repeat(161))).toMatchObject({
      segments: 2,
      perSegment: 153,
      remaining: 145,
    });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters twice', () => {
    expect(smsSegments('€{}').units).toBe(6);
    expect(smsSegments(`${'a'.repeat(159)}€`).segments).toBe(2);
  });

  it('counts UCS-2 when asked, or when a character needs it: 70, then 67', () => {
    expect(smsSegments('a'.repeat(70), { unicode: true })).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
    });
    expect(smsSegments('a'.repeat(71), { unicode: true })).toMatchObject({
      segments: 2,
      perSegment: 67,
    });
    const hindi = smsSegments('आपका कोड 123456 है');
    expect(hindi.encoding).toBe('UCS-2');
    expect(hindi.nonGsm.length).toBeGreaterThan(0);
    // An emoji is two UTF-16 code units.
    expect(smsSegments('🙂', { unicode: true }).units).toBe(2);
  });

  it('lists characters outside GSM-7 once', () => {
    expect(nonGsmCharacters('Code: 1234 ✓✓ é')).toEqual(['✓']);
  });
});

describe('templateVariables', () => {
  it('finds ##name## variables, not ##OTP##, once each', () => {
    expect(templateVariables('##OTP## for ##name## at ##shop## (##name##) ## x ##')).toEqual([
      'name',
      'shop',
    ]);
  });
});
