/** Basics: the name, the status, what the widget verifies, its first channel and code length. */
import type { JSX } from 'preact';
import { CheckGroup, Section, SelectField, type SelectOption } from '../../ui/components.tsx';
import { bind, bindGroup, bindSelect, NumberField, TextField } from '../../ui/fields.tsx';
import { MOBILE_CHANNELS, type SectionProps, STATUSES, VERIFICATION_TYPES } from './shared.ts';

/** What the visitor may be asked for (the form's two switches). */
const CONTACT_POINTS: SelectOption<'mobile' | 'email'>[] = [
  { value: 'mobile', label: 'Mobile number' },
  { value: 'email', label: 'Email address' },
];

export function BasicsSection(props: SectionProps): JSX.Element {
  const { form, set } = props.f;
  return (
    <Section id="section-basics" title="Basics" card>
      <TextField
        {...bind(props.f, 'name')}
        label="Widget name"
        hint="Only you see it, e.g. “Shop login”."
        type="text"
        autoComplete="off"
      />
      <div class="grid-2">
        <SelectField
          {...bindSelect(props.f, 'status')}
          label="Status"
          hint="A disabled widget refuses to send codes."
          options={STATUSES}
        />
        <SelectField
          {...bindSelect(props.f, 'verificationType')}
          label="Verification type"
          hint={
            form.verificationType === 'magic_link'
              ? 'The message carries a link to the redirect URL instead of a code.'
              : 'The visitor types the code they receive.'
          }
          options={VERIFICATION_TYPES}
        />
      </div>
      <CheckGroup
        {...bindGroup(props.f, 'contactPoints')}
        legend="Contact points"
        hint="What the visitor is asked for."
        options={CONTACT_POINTS}
        checked={(point) => form[point]}
        onChange={(point, on) => set(point, on, 'contactPoints')}
      />
      <div class="grid-2">
        {form.mobile && (
          <SelectField
            {...bindSelect(props.f, 'primaryMobile', 'primaryChannel.mobile')}
            label="Primary mobile channel"
            hint="The first code to a phone goes out here."
            options={MOBILE_CHANNELS}
          />
        )}
        {form.email && (
          <SelectField
            name="primaryChannel.email"
            label="Primary email channel"
            hint="Email is the only channel for addresses."
            value="email"
            options={[{ value: 'email', label: 'Email' }]}
            disabled
          />
        )}
        <NumberField
          {...bind(props.f, 'otpLength')}
          label="OTP length"
          hint="4 to 9 digits."
          min={4}
          max={9}
        />
      </div>
    </Section>
  );
}
