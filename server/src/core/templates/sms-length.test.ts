import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { isGsm7, MAX_SMS_SEGMENTS, smsLength } from './sms-length.ts';

describe('smsLength', () => {
  it('counts GSM-7 text in septets: 160 alone, 153 per part', () => {
    expect(smsLength('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161)).segments).toBe(2);
    expect(smsLength('a'.repeat(306)).segments).toBe(2);
    expect(smsLength('a'.repeat(307)).segments).toBe(3);
    expect(smsLength('a'.repeat(459)).segments).toBe(3);
    expect(smsLength('a'.repeat(460)).segments).toBe(4);
  });

  it('counts extension characters (€ { } [ ] ~ | ^ \\ and form feed) twice', () => {
    expect(smsLength('€{}[]~|^\\\f')).toEqual({ encoding: 'GSM-7', units: 20, segments: 1 });
    expect(smsLength('€'.repeat(80)).segments).toBe(1);
    expect(smsLength('€'.repeat(81)).segments).toBe(2);
    expect(smsLength(`${'a'.repeat(159)}€`).segments).toBe(2);
  });

  it('never splits an extension pair between two parts', () => {
    // 152 septets then €: the escape and the character go to the second part together.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}€${'a'.repeat(151)}`;
    expect(smsLength(text).units).toBe(459);
    expect(smsLength(text).segments).toBe(4);
  });

  it('counts UCS-2 text in UTF-16 units: 70 alone, 67 per part', () => {
    expect(smsLength('अ'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsLength('अ'.repeat(71)).segments).toBe(2);
    expect(smsLength('अ'.repeat(201)).segments).toBe(3);
    expect(smsLength('अ'.repeat(202)).segments).toBe(4);
    expect(smsLength('a'.repeat(70), { unicode: true }).segments).toBe(1);
    expect(smsLength('a'.repeat(71), { unicode: true }).segments).toBe(2);
    // One character outside GSM-7 makes the whole text UCS-2.
    expect(smsLength(`${'a'.repeat(100)}ç`)).toEqual({
      encoding: 'UCS-2',
      units: 101,
      segments: 2,
    });
  });

  it('never splits a surrogate pair between two parts', () => {
    expect(smsLength('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    // 33 emoji fill 66 of a part's 67 units: the 34th starts the next part.
    expect(smsLength('😀'.repeat(67)).segments).toBe(3);
  });

  it('knows the GSM-7 alphabet', () => {
    expect(isGsm7('Your code is 123456 {€} @£$¥ ÄÖÑÜ §¿ Ç')).toBe(true);
    expect(isGsm7('कोड')).toBe(false);
    expect(isGsm7('ç')).toBe(false);
    expect(isGsm7('’')).toBe(false);
  });

  it('answers as Twilio’s segment calculator does', () => {
    const alphabet = [
      ...'abcXYZ019 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà',
      ...'^{}\\[~]|€',
    ];
    const unicode = ['अ', 'ç', '’', '😀', 'ж'];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const pool = i % 3 === 0 ? [...alphabet, ...unicode] : alphabet;
      const text = Array.from({ length: 1 + next(520) }, () => pool[next(pool.length)]).join('');
      const reference = new SegmentedMessage(text);
      const mine = smsLength(text);
      expect([mine.encoding, mine.segments], JSON.stringify(text)).toEqual([
        reference.encodingName,
        reference.segmentsCount,
      ]);
    }
  });

  it('caps an SMS at 3 segments: the boundaries', () => {
    const fits = (text: string, unicode = false) =>
      smsLength(text, { unicode }).segments <= MAX_SMS_SEGMENTS;
    expect(MAX_SMS_SEGMENTS).toBe(3);
    expect(fits('a'.repeat(459))).toBe(true);
    expect(fits('a'.repeat(460))).toBe(false);
    // 457 septets in 3 parts of 153, 152 and 152: an escape pair is never split.
    expect(fits(`a${'€'.repeat(228)}`)).toBe(true);
    // 459 septets, but the pairs cannot fill every part to 153: a fourth part.
    expect(fits(`a${'€'.repeat(229)}`)).toBe(false);
    expect(fits('क'.repeat(201))).toBe(true);
    expect(fits('क'.repeat(202))).toBe(false);
    expect(fits('a'.repeat(201), true)).toBe(true);
    expect(fits('a'.repeat(202), true)).toBe(false);
    // An emoji is two UTF-16 units, never split: 33 to a part.
    expect(fits('😀'.repeat(99))).toBe(true);
    expect(fits('😀'.repeat(100))).toBe(false);
  });
});
