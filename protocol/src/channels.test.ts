import { describe, expect, it } from 'vitest';
import { resendChoices } from './channels.ts';

describe('resendChoices', () => {
  it("keeps the listed channels that reach the contact point, in the popup's order", () => {
    expect(resendChoices(['voice', 'sms', 'whatsapp'], 'mobile', false)).toEqual([
      'sms',
      'whatsapp',
      'voice',
    ]);
    expect(resendChoices(['email', 'sms'], 'email', false)).toEqual(['email']);
    expect(resendChoices(['email'], 'mobile', false)).toEqual([]);
  });

  it('never offers voice for a magic link', () => {
    expect(resendChoices(['sms', 'voice'], 'mobile', true)).toEqual(['sms']);
  });
});
