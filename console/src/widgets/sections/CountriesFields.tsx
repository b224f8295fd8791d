/** Advanced, countries and limits: the country-wise channel, allowed and default countries, attempts and language. */

import type { JSX } from 'preact';
import { SelectField } from '../../ui/components.tsx';
import { countryName, countryOptions, NON_GEOGRAPHIC } from '../../ui/countries.ts';
import { bind, bindSelect, CodeField, NumberField, RowList } from '../../ui/fields.tsx';
import { parseCountryList } from '../form.ts';
import { LANGUAGES, MOBILE_CHANNELS, rowCountry, rowsOf, type SectionProps } from './shared.ts';

export function CountriesFields(props: SectionProps): JSX.Element {
  const { form, err, blur } = props.f;
  const rows = rowsOf(props.f, 'countryChannels');
  return (
    <>
      {form.mobile && (
        <RowList
          name="countryChannels"
          legend="Country-wise primary channel"
          hint="Send the first code over another channel to some countries, e.g. WhatsApp where it is cheaper than SMS."
          error={err('countryChannels')}
          rows={form.countryChannels}
          noun="country"
          addLabel="Add country"
          onAdd={() => rows.add({ country: '', channel: 'whatsapp' })}
          onRemove={(i, rowKey) => rows.remove(i, rowKey)}
        >
          {(row, i, rowKey) => (
            <>
              <SelectField
                {...rowCountry(props.f, rowKey, `Country, row ${i + 1}`)}
                class="row__grow"
                value={row.country}
                onChange={(country) => rows.update(i, { country }, rowKey)}
              />
              <SelectField
                name={`${rowKey}.channel`}
                label={`Channel, row ${i + 1}`}
                hideLabel
                value={row.channel}
                options={MOBILE_CHANNELS}
                onChange={(channel) => rows.update(i, { channel }, rowKey)}
              />
            </>
          )}
        </RowList>
      )}
      <div class="grid-2">
        <CodeField
          {...bind(props.f, 'allowedCountries')}
          label="Allowed countries"
          hint={(() => {
            const codes = parseCountryList(form.allowedCountries).filter(
              (c) => /^[A-Z]{2}$/.test(c) || c === NON_GEOGRAPHIC,
            );
            return codes.length > 0
              ? `Only numbers from: ${codes.map(countryName).join(', ')}.`
              : `ISO codes such as IN, US. Empty: numbers from every country. Satellite and international-network numbers (+870, +881, +882…: costly, favoured by SMS fraud) are refused unless you add ${NON_GEOGRAPHIC}.`;
          })()}
          placeholder="IN, US"
        />
        <SelectField
          {...bindSelect(props.f, 'defaultCountry')}
          label="Default country"
          onBlurField={blur}
          hint="Preselected in the phone number field."
          options={countryOptions()}
        />
        <NumberField
          {...bind(props.f, 'maxAttempts')}
          label="Max attempts"
          hint="1 to 20 wrong codes before a new code is needed."
          min={1}
          max={20}
        />
        <SelectField
          {...bindSelect(props.f, 'language')}
          label="Popup language"
          hint="The language the popup and the messages speak. Automatic: the first of the visitor’s browser languages that otpkit speaks, else English."
          options={LANGUAGES}
        />
      </div>
    </>
  );
}
