/** Advanced, captcha: the provider, its keys and the reCAPTCHA score. */
import type { JSX } from 'preact';
import { Field, SelectField } from '../../ui/components.tsx';
import { MASKED_SECRET, needsCaptchaKeys } from '../form.ts';
import { CAPTCHAS, type SectionProps } from './shared.ts';

export function CaptchaFields(props: SectionProps): JSX.Element {
  const { form, set, err, blur } = props.f;
  return (
    <>
      <h3>Captcha</h3>
      <div class="grid-2">
        <SelectField
          name="captcha.provider"
          label="Captcha provider"
          error={err('captcha.provider')}
          hint="Stops bots flooding the widget with sends. Apps where captchas cannot load (desktop, webviews) may turn it off."
          value={form.captchaProvider}
          options={CAPTCHAS}
          onChange={(v) => set('captchaProvider', v, 'captcha.provider')}
        />
        {form.captchaProvider === 'recaptcha-v3' && (
          <Field
            name="captcha.scoreThreshold"
            label="Captcha score threshold"
            error={err('captcha.scoreThreshold')}
            onBlurField={blur}
            hint="0 to 1; lower scores are refused. Empty: 0.5."
          >
            {(a) => (
              <input
                {...a}
                type="number"
                inputMode="decimal"
                min={0}
                max={1}
                step={0.1}
                value={form.captchaScoreThreshold}
                onInput={(e) =>
                  set('captchaScoreThreshold', e.currentTarget.value, 'captcha.scoreThreshold')
                }
              />
            )}
          </Field>
        )}
      </div>
      {needsCaptchaKeys(form.captchaProvider) && (
        <div class="grid-2">
          <Field
            name="captcha.siteKey"
            label="Captcha site key"
            error={err('captcha.siteKey')}
            onBlurField={blur}
          >
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                spellcheck={false}
                value={form.captchaSiteKey}
                onInput={(e) => set('captchaSiteKey', e.currentTarget.value, 'captcha.siteKey')}
              />
            )}
          </Field>
          <Field
            name="captcha.secretKey"
            label="Captcha secret key"
            error={err('captcha.secretKey')}
            onBlurField={blur}
            hint={
              form.captchaSecretKey === MASKED_SECRET
                ? 'Saved and hidden. Leave it to keep it, or type a new one.'
                : 'Never shown again once saved.'
            }
          >
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete="off"
                spellcheck={false}
                value={form.captchaSecretKey}
                onInput={(e) => set('captchaSecretKey', e.currentTarget.value, 'captcha.secretKey')}
              />
            )}
          </Field>
        </div>
      )}
    </>
  );
}
