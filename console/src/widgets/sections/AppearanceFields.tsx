/** Advanced, embedding and look: allowed origins, redirect URL, logo and brand colour. */
import type { JSX } from 'preact';
import { meta } from '../../auth/session.ts';
import { Field, Notice } from '../../ui/components.tsx';
import { bind, CodeField, TextAreaField } from '../../ui/fields.tsx';
import { parseLines } from '../form.ts';
import { allowedOriginsHint, originsWarning } from '../origins.ts';
import type { SectionProps } from './shared.ts';

/** The two URL settings: key, label, hint, placeholder. */
const URLS = [
  [
    'redirectUrl',
    'Redirect URL',
    'Magic links: where the visitor lands after verifying.',
    'https://shop.example/welcome',
  ],
  ['logoUrl', 'Logo URL', 'Shown at the top of the popup.', 'https://shop.example/logo.svg'],
] as const;

export function AppearanceFields(
  props: SectionProps & { savedWarning: string | null },
): JSX.Element {
  const { form, set, err, blur } = props.f;
  // What the server would do with the origins as typed, once saved (unless the page warns already).
  const originsText = originsWarning(parseLines(form.allowedOrigins), meta.value);
  const originsNotice = originsText && !props.savedWarning && (
    <Notice tone="warning" title="Browsers will not be able to use this widget">
      <p>{originsText}</p>
    </Notice>
  );
  return (
    <>
      <h3>Embedding and look</h3>
      <TextAreaField
        {...bind(props.f, 'allowedOrigins')}
        label="Allowed origins"
        hint={allowedOriginsHint(meta.value)}
        rows={3}
        spellcheck={false}
        autoComplete="off"
        placeholder="https://shop.example"
      />
      {originsNotice}
      <div class="grid-2">
        {URLS.map(([key, label, hint, placeholder]) => (
          <CodeField
            key={key}
            {...bind(props.f, key)}
            label={label}
            hint={hint}
            type="url"
            placeholder={placeholder}
          />
        ))}
        <Field
          name="brandColor"
          label="Brand colour"
          error={err('brandColor')}
          onBlurField={blur}
          hint="The popup’s accent, e.g. #1a73e8; white text must stay readable on it. Empty: default."
        >
          {(a) => (
            <div class="color-input">
              <input
                {...a}
                type="text"
                autoComplete="off"
                spellcheck={false}
                placeholder="#1a73e8"
                value={form.brandColor}
                onInput={(e) => set('brandColor', e.currentTarget.value, 'brandColor')}
              />
              <input
                type="color"
                aria-label="Pick brand colour"
                value={/^#[0-9a-fA-F]{6}$/.test(form.brandColor) ? form.brandColor : '#4f46e5'}
                onInput={(e) => set('brandColor', e.currentTarget.value, 'brandColor')}
              />
            </div>
          )}
        </Field>
      </div>
    </>
  );
}
