import { describe, expect, it } from 'vitest';
import { tryItVariables } from './try-variables.ts';

const widget = { widgetId: 'w1', contactPoints: ['mobile' as const] };
const t = (
  channel: 'sms' | 'whatsapp' | 'voice' | 'email',
  widgetId: string | null,
  body: string,
) => ({
  channel,
  widgetId,
  body,
  subject: null,
});

describe('tryItVariables', () => {
  it('takes the variables of the widget’s own templates, leaving out the built-ins', () => {
    expect(
      tryItVariables(
        [t('sms', 'w1', 'Hi ##name##, ##OTP## is your ##WIDGET## code (##order-id##)')],
        widget,
      ),
    ).toEqual(['name', 'order-id']);
  });

  it('uses an account template only for channels the widget has no template of its own for', () => {
    const templates = [
      t('sms', 'w1', '##OTP## for ##name##'),
      t('sms', null, '##OTP## for ##shop##'),
      t('voice', null, 'Your code is ##OTP##, ##caller##'),
      t('sms', 'other', '##OTP## ##elsewhere##'),
    ];
    expect(tryItVariables(templates, widget)).toEqual(['caller', 'name']);
  });

  it('ignores channels the widget does not use, and configuration keys', () => {
    const templates = [
      t('email', 'w1', '##OTP## ##greeting##'),
      t('sms', 'w1', '##OTP## ##identifier##'),
    ];
    expect(tryItVariables(templates, widget)).toEqual([]);
    expect(tryItVariables(templates, { widgetId: 'w1', contactPoints: ['email'] })).toEqual([
      'greeting',
    ]);
  });
});
