import { describe, expect, it } from 'vitest';
import { widgetSettingsSchema } from '../../model/widget-settings.ts';
import { OtpkitError } from '../../platform/errors.ts';
import {
  parseTemplateVariables,
  readAlready,
  readCode,
  readIdentifier,
  readReqId,
  readRetryChannel,
} from './input.ts';

const settings = widgetSettingsSchema.parse({ name: 'w', contactPoints: ['mobile'] });

/** The code and message a parser refused with. */
function refusal(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof OtpkitError) return [error.code, error.message];
    throw error;
  }
  throw new Error('not refused');
}

describe('readIdentifier', () => {
  it('parses by the widget’s rules and keeps the identifier as given', () => {
    const read = readIdentifier(919876543210, settings);
    expect(read).toMatchObject({
      ok: true,
      identifier: { value: '919876543210', contactPoint: 'mobile', country: 'IN' },
      asGiven: '919876543210',
    });
  });

  it('hands back a refusal instead of throwing, with what was typed', () => {
    const read = readIdentifier('ana@example.com', settings);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect([read.error.code, read.error.message]).toEqual([
      'INVALID_IDENTIFIER',
      'This widget verifies mobile numbers only.',
    ]);
    expect(read.asGiven).toBe('ana@example.com');
    expect(readIdentifier({ a: 1 }, settings)).toMatchObject({ ok: false, asGiven: null });
  });

  it('readAlready wraps an identifier parsed elsewhere', () => {
    const identifier = { value: '919876543210', contactPoint: 'mobile', country: 'IN' } as const;
    expect(readAlready(identifier)).toEqual({ ok: true, identifier, asGiven: '919876543210' });
  });
});

describe('parseTemplateVariables', () => {
  it('keeps strings, numbers and booleans as text; absent is none', () => {
    expect(parseTemplateVariables({ name: 'Ravi', age: 30, vip: true })).toEqual({
      name: 'Ravi',
      age: '30',
      vip: 'true',
    });
    expect(parseTemplateVariables(undefined)).toEqual({});
    expect(parseTemplateVariables(null)).toEqual({});
  });

  it('refuses what is not an object of short, well-named values, naming the problem', () => {
    expect(refusal(() => parseTemplateVariables('x'))).toEqual([
      'INVALID_REQUEST',
      'variables must be an object of strings.',
    ]);
    expect(refusal(() => parseTemplateVariables(['x']))[0]).toBe('INVALID_REQUEST');
    expect(refusal(() => parseTemplateVariables({ 'bad name': 'x' }))[1]).toBe(
      'Template variable name "bad name" is invalid.',
    );
    expect(refusal(() => parseTemplateVariables({ a: { b: 1 } }))[1]).toBe(
      'Template variable a must be a string.',
    );
    expect(refusal(() => parseTemplateVariables({ a: 'x'.repeat(501) }))[1]).toBe(
      'Template variable a is longer than 500 characters.',
    );
    expect(parseTemplateVariables({ a: 'x'.repeat(500) }).a).toHaveLength(500);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`v${i}`, 'x']));
    expect(refusal(() => parseTemplateVariables(many))[1]).toBe('At most 20 template variables.');
    delete many.v20;
    expect(Object.keys(parseTemplateVariables(many))).toHaveLength(20);
  });
});

describe('readReqId', () => {
  it('takes text of 1 to 100 characters', () => {
    expect(readReqId('r1')).toBe('r1');
    expect(readReqId('x'.repeat(100))).toHaveLength(100);
    for (const bad of [undefined, '', 'x'.repeat(101), 42]) {
      expect(refusal(() => readReqId(bad))).toEqual(['INVALID_REQUEST', 'reqId is required.']);
    }
    expect(refusal(() => readReqId(undefined, 'requestId'))[1]).toBe('requestId is required.');
  });
});

describe('readRetryChannel', () => {
  it('maps wire codes to channels; absent is the widget’s choice', () => {
    expect(readRetryChannel(11)).toBe('sms');
    expect(readRetryChannel('4')).toBe('voice');
    expect(readRetryChannel(3)).toBe('email');
    expect(readRetryChannel(12)).toBe('whatsapp');
    for (const absent of [undefined, null, '']) expect(readRetryChannel(absent)).toBeUndefined();
    expect(refusal(() => readRetryChannel(99))).toEqual([
      'INVALID_REQUEST',
      'retryChannel must be 11 (SMS), 4 (voice), 3 (email) or 12 (WhatsApp).',
    ]);
  });
});

describe('readCode', () => {
  it('keeps text and numbers as typed; anything else is no code', () => {
    expect(readCode('012345')).toBe('012345');
    expect(readCode(12345)).toBe(12345);
    expect(readCode({ otp: 1 })).toBe('');
    expect(readCode(undefined)).toBe('');
  });
});
