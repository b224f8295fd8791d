/** Advanced, behaviour: the switches and the Android app hash. */
import type { JSX } from 'preact';
import { Field, Switch } from '../../ui/components.tsx';
import type { SectionProps } from './shared.ts';

export function BehaviourFields(props: SectionProps): JSX.Element {
  const { form, set, err, blur } = props.f;
  return (
    <>
      <h3>Behaviour</h3>
      <div class="switches">
        <Switch
          name="invisible"
          label="Invisible OTP"
          description="Mobile apps only: verify the number without showing the code, falling back to the primary mobile channel. Needs mobile integration."
          checked={form.invisible}
          onChange={(v) => set('invisible', v, 'invisible')}
        />
        <Switch
          name="mobileIntegration"
          label="Mobile integration"
          description="Serve the widget to the mobile SDKs. The browser script then refuses to run it."
          checked={form.mobileIntegration}
          onChange={(v) => set('mobileIntegration', v, 'mobileIntegration')}
        />
        <Switch
          name="iFrame"
          label="Allow in iFrame"
          description="Let the widget run inside an iframe. Off by default."
          checked={form.iFrame}
          onChange={(v) => set('iFrame', v, 'iFrame')}
        />
        <Switch
          name="autoRetry"
          label="Auto retry"
          description="Resend by itself over the next resend channel when the wait is over."
          checked={form.autoRetry}
          onChange={(v) => set('autoRetry', v, 'autoRetry')}
        />
        <Switch
          name="passkeys"
          label="Passkeys"
          description="After a verified code, offer a passkey; next time, sign in with it and send no message. Needs allowed origins: a passkey belongs to the site it was made on."
          checked={form.passkeys}
          onChange={(v) => set('passkeys', v, 'passkeys')}
        />
      </div>
      <Field
        name="androidAppHash"
        label="Android app hash"
        error={err('androidAppHash')}
        onBlurField={blur}
        hint="For an Android app that reads codes with the SMS Retriever API: the 11-character hash of the app. Its code SMS then ends with it and must fit 140 bytes. Empty: none."
      >
        {(a) => (
          <input
            {...a}
            maxLength={11}
            spellcheck={false}
            autoComplete="off"
            placeholder="FA+9qCX9VSu"
            value={form.androidAppHash}
            onInput={(e) => set('androidAppHash', e.currentTarget.value, 'androidAppHash')}
          />
        )}
      </Field>
    </>
  );
}
