/** Resend: the channels a visitor may pick, how often and how soon, and how long a code lasts. */
import type { JSX } from 'preact';
import { CheckGroup, Section } from '../../ui/components.tsx';
import { bind, bindGroup, NumberField } from '../../ui/fields.tsx';
import { MOBILE_CHANNELS, type SectionProps } from './shared.ts';

/** How often and how soon a code is resent, and how long it lasts. */
const LIMITS = [
  { key: 'retryCount', label: 'Resend count', hint: '0 to 10 resends per code.', min: 0, max: 10 },
  {
    key: 'retryTime',
    label: 'Resend wait (seconds)',
    hint: '0 to 600, before a resend is offered.',
    min: 0,
    max: 600,
  },
  {
    key: 'expiryTime',
    label: 'Code expiry (minutes)',
    hint: '1 to 1440 minutes.',
    min: 1,
    max: 1440,
  },
] as const;

export function ResendSection(props: SectionProps): JSX.Element {
  const { form, set } = props.f;
  return (
    <Section id="section-resend" title="Resend" card>
      {form.mobile && (
        <CheckGroup
          {...bindGroup(props.f, 'retryChannels.mobile')}
          legend="Mobile resend channels"
          hint="The channels a visitor may pick under “Didn’t get it?”."
          options={MOBILE_CHANNELS}
          checked={(channel) => form.retryMobile.includes(channel)}
          onChange={(channel, on) =>
            set(
              'retryMobile',
              MOBILE_CHANNELS.map((m) => m.value).filter((v) =>
                v === channel ? on : form.retryMobile.includes(v),
              ),
              'retryChannels.mobile',
            )
          }
        />
      )}
      {form.email && <p class="muted small">Codes to an email address are resent by email.</p>}
      <div class="grid-3">
        {LIMITS.map((n) => (
          <NumberField
            key={n.key}
            {...bind(props.f, n.key)}
            label={n.label}
            hint={n.hint}
            min={n.min}
            max={n.max}
          />
        ))}
      </div>
    </Section>
  );
}
