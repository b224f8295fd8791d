/** Advanced, captcha: the provider, its keys and the reCAPTCHA score. */
import type { JSX } from 'preact';
import { SelectField } from '../../ui/components.tsx';
import { bind, bindSelect, CodeField, TextField } from '../../ui/fields.tsx';
import { MASKED_SECRET, needsCaptchaKeys } from '../form.ts';
import { CAPTCHAS, type SectionProps } from './shared.ts';

export function CaptchaFields(props: SectionProps): JSX.Element {
  const { form } = props.f;
  return (
    <>
      <h3>Captcha</h3>
      <div class="grid-2">
        <SelectField
          {...bindSelect(props.f, 'captchaProvider', 'captcha.provider')}
          label="Captcha provider"
          hint="Stops bots flooding the widget with sends. Apps where captchas cannot load (desktop, webviews) may turn it off."
          options={CAPTCHAS}
        />
        {form.captchaProvider === 'recaptcha-v3' && (
          <TextField
            {...bind(props.f, 'captchaScoreThreshold', 'captcha.scoreThreshold')}
            label="Captcha score threshold"
            hint="0 to 1; lower scores are refused. Empty: 0.5."
            type="number"
            inputMode="decimal"
            min={0}
            max={1}
            step={0.1}
          />
        )}
      </div>
      {needsCaptchaKeys(form.captchaProvider) && (
        <div class="grid-2">
          <CodeField
            {...bind(props.f, 'captchaSiteKey', 'captcha.siteKey')}
            label="Captcha site key"
          />
          <CodeField
            {...bind(props.f, 'captchaSecretKey', 'captcha.secretKey')}
            label="Captcha secret key"
            hint={
              form.captchaSecretKey === MASKED_SECRET
                ? 'Saved and hidden. Leave it to keep it, or type a new one.'
                : 'Never shown again once saved.'
            }
            type="password"
          />
        </div>
      )}
    </>
  );
}
