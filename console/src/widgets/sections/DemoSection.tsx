/** Demo credentials: fixed identifier/code pairs for app-store reviewers. */
import type { JSX } from 'preact';
import { Section } from '../../ui/components.tsx';
import { fieldId } from '../../ui/field-errors.ts';
import { AddButton, CodeField, RemoveButton, TextField } from '../../ui/fields.tsx';
import { rowsOf, type SectionProps } from './shared.ts';

export function DemoSection(props: SectionProps): JSX.Element {
  const { form, err, blur } = props.f;
  const rows = rowsOf(props.f, 'demoCredentials');
  return (
    <Section id="section-demo" title="Demo credentials" card>
      <p class="muted" id={fieldId('demoCredentials')} tabIndex={-1}>
        For app-store reviewers: no message is sent, the fixed code works. Each code must have OTP
        length digits. Use identifiers nobody real owns.
      </p>
      {err('demoCredentials') && <p class="field__error">{err('demoCredentials')}</p>}
      {form.demoCredentials.length > 0 && (
        <ul class="rows">
          {form.demoCredentials.map((d, i) => {
            const update = (patch: Partial<typeof d>, key: string) => rows.update(i, patch, key);
            return (
              <li key={i} class="row">
                <CodeField
                  name={`demoCredentials.${i}.identifier`}
                  label={`Demo identifier, row ${i + 1}`}
                  hideLabel
                  error={err(`demoCredentials.${i}.identifier`)}
                  onBlurField={blur}
                  class="row__grow"
                  placeholder="919999999999 or review@example.com"
                  value={d.identifier}
                  onValue={(v) => update({ identifier: v }, `demoCredentials.${i}.identifier`)}
                />
                <TextField
                  name={`demoCredentials.${i}.otp`}
                  label={`Demo OTP, row ${i + 1}`}
                  hideLabel
                  error={err(`demoCredentials.${i}.otp`)}
                  onBlurField={blur}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="123456"
                  inputClass="input--code"
                  value={d.otp}
                  onValue={(v) => update({ otp: v }, `demoCredentials.${i}.otp`)}
                />
                <RemoveButton
                  label={`Remove demo credential row ${i + 1}`}
                  onClick={() => rows.remove(i)}
                />
              </li>
            );
          })}
        </ul>
      )}
      <AddButton onClick={() => rows.add({ identifier: '', otp: '' })}>
        Add demo credential
      </AddButton>
    </Section>
  );
}
