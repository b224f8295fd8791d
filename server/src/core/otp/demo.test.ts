import { describe, expect, it } from 'vitest';
import { widgetSettingsSchema } from '../../model/widget-settings.ts';
import type { WidgetRecord } from '../../store/index.ts';
import { demoCredentialFor } from './demo.ts';

const widgetWith = (settings: Record<string, unknown>) =>
  ({ settings: widgetSettingsSchema.parse({ name: 'w', ...settings }) }) as WidgetRecord;

describe('demoCredentialFor', () => {
  const widget = widgetWith({
    contactPoints: ['mobile', 'email'],
    demoCredentials: [
      { identifier: '+91 98765 43210', otp: '123456' },
      { identifier: 'Review@Example.com', otp: '567890' },
    ],
  });

  it('matches a pair by the identifier as the widget reads it', () => {
    expect(demoCredentialFor(widget, { value: '919876543210' })).toBe('123456');
    expect(demoCredentialFor(widget, { value: 'review@example.com' })).toBe('567890');
    expect(demoCredentialFor(widget, { value: '919876543211' })).toBeUndefined();
  });

  it('a pair the widget can no longer read matches nothing', () => {
    const mobileOnly = widgetWith({
      contactPoints: ['mobile'],
      demoCredentials: [{ identifier: 'review@example.com', otp: '567890' }],
    });
    expect(demoCredentialFor(mobileOnly, { value: 'review@example.com' })).toBeUndefined();
  });
});
