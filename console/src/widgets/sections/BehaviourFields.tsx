/** Advanced, behaviour: the switches and the Android app hash. */
import type { JSX } from 'preact';
import { Switch } from '../../ui/components.tsx';
import { bind, TextField } from '../../ui/fields.tsx';
import type { SectionProps } from './shared.ts';

type BooleanKey = 'invisible' | 'mobileIntegration' | 'iFrame' | 'autoRetry' | 'passkeys';

/** The behaviour switches, in the order shown. */
const SWITCHES: readonly { name: BooleanKey; label: string; description: string }[] = [
  {
    name: 'invisible',
    label: 'Invisible OTP',
    description:
      'Mobile apps only: verify the number without showing the code, falling back to the primary mobile channel. Needs mobile integration.',
  },
  {
    name: 'mobileIntegration',
    label: 'Mobile integration',
    description: 'Serve the widget to the mobile SDKs. The browser script then refuses to run it.',
  },
  {
    name: 'iFrame',
    label: 'Allow in iFrame',
    description: 'Let the widget run inside an iframe. Off by default.',
  },
  {
    name: 'autoRetry',
    label: 'Auto retry',
    description: 'Resend by itself over the next resend channel when the wait is over.',
  },
  {
    name: 'passkeys',
    label: 'Passkeys',
    description:
      'After a verified code, offer a passkey; next time, sign in with it and send no message. Needs allowed origins: a passkey belongs to the site it was made on.',
  },
];

export function BehaviourFields(props: SectionProps): JSX.Element {
  const { form, set } = props.f;
  return (
    <>
      <h3>Behaviour</h3>
      <div class="switches">
        {SWITCHES.map((w) => (
          <Switch
            key={w.name}
            name={w.name}
            label={w.label}
            description={w.description}
            checked={form[w.name]}
            onChange={(v) => set(w.name, v, w.name)}
          />
        ))}
      </div>
      <TextField
        {...bind(props.f, 'androidAppHash')}
        label="Android app hash"
        hint="For an Android app that reads codes with the SMS Retriever API: the 11-character hash of the app. Its code SMS then ends with it and must fit 140 bytes. Empty: none."
        maxLength={11}
        spellcheck={false}
        autoComplete="off"
        placeholder="FA+9qCX9VSu"
      />
    </>
  );
}
