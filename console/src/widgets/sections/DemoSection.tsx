/** Demo credentials: fixed identifier/code pairs for app-store reviewers. */
import type { JSX } from 'preact';
import { Section } from '../../ui/components.tsx';
import { fieldId } from '../../ui/field-errors.ts';
import { CodeField, RowList, TextField } from '../../ui/fields.tsx';
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
      <RowList
        name="demoCredentials"
        rows={form.demoCredentials}
        noun="demo credential"
        addLabel="Add demo credential"
        onAdd={() => rows.add({ identifier: '', otp: '' })}
        onRemove={(i) => rows.remove(i)}
      >
        {(d, i, rowKey) => {
          // A row field's name (its error key), hidden label, error, value and setter.
          const cell = (key: 'identifier' | 'otp', label: string) => {
            const name = `${rowKey}.${key}`;
            return {
              name,
              label: `${label}, row ${i + 1}`,
              hideLabel: true,
              error: err(name),
              onBlurField: blur,
              value: d[key],
              onValue: (v: string) => rows.update(i, { [key]: v }, name),
            };
          };
          return (
            <>
              <CodeField
                {...cell('identifier', 'Demo identifier')}
                class="row__grow"
                placeholder="919999999999 or review@example.com"
              />
              <TextField
                {...cell('otp', 'Demo OTP')}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                placeholder="123456"
                inputClass="input--code"
              />
            </>
          );
        }}
      </RowList>
    </Section>
  );
}
