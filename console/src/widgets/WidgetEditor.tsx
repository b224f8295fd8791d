/**
 * The widget editor (`/widgets/new` and `/widgets/:widgetId`): every setting,
 * grouped as in the product documents (Basics, Resend, Advanced, Demo
 * credentials), with inline validation and the server's field errors mapped
 * back onto the fields. An existing widget also gets the "Try it" panel.
 */
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { isApiError } from '../api/client.ts';
import type { CaptchaProvider, MobileChannel, Widget } from '../api/types.ts';
import { api, meta } from '../auth/session.ts';
import {
  Checkbox,
  ConfirmButton,
  CopyButton,
  Field,
  FieldGroup,
  Link,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  type SelectOption,
  Switch,
} from '../ui/components.tsx';
import { countries, countryName, NON_GEOGRAPHIC } from '../ui/countries.ts';
import { type FieldErrors, fieldId } from '../ui/field-errors.ts';
import { Flash, navigateWithFlash } from '../ui/flash.tsx';
import { LANGUAGE_OPTIONS } from '../ui/languages.ts';
import { useLoad } from '../ui/use-load.ts';
import {
  formFromWidget,
  MASKED_SECRET,
  needsCaptchaKeys,
  newWidgetForm,
  parseCountryList,
  parseLines,
  settingsFromForm,
  validateWidgetForm,
  type WidgetForm,
  widgetErrorsFromIssues,
} from './form.ts';
import { allowedOriginsHint, originsWarning } from './origins.ts';
import { TryIt } from './TryIt.tsx';
import { StatusBadge } from './WidgetsPage.tsx';

const MOBILE_CHANNELS: { value: MobileChannel; label: string }[] = [
  { value: 'sms', label: 'SMS' },
  { value: 'whatsapp', label: 'WhatsApp' },
  { value: 'telegram', label: 'Telegram' },
  { value: 'voice', label: 'Voice' },
];

const STATUSES: SelectOption<WidgetForm['status']>[] = [
  { value: 'enabled', label: 'Enabled' },
  { value: 'disabled', label: 'Disabled' },
];

const VERIFICATION_TYPES: SelectOption<WidgetForm['verificationType']>[] = [
  { value: 'otp', label: 'One-time code (OTP)' },
  { value: 'magic_link', label: 'Magic link' },
];

const LANGUAGES: SelectOption<WidgetForm['language']>[] = [
  { value: 'auto', label: 'Automatic (visitor’s browser)' },
  ...LANGUAGE_OPTIONS,
];

const CAPTCHAS: { value: CaptchaProvider; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'pow', label: 'Proof of work (built in, no keys)' },
  { value: 'recaptcha-v3', label: 'Google reCAPTCHA v3' },
  { value: 'turnstile', label: 'Cloudflare Turnstile' },
  { value: 'hcaptcha', label: 'hCaptcha' },
];

/** Human names of error keys, for the error summary. */
function labelFor(key: string): string {
  const labels: Record<string, string> = {
    name: 'Widget name',
    status: 'Status',
    verificationType: 'Verification type',
    contactPoints: 'Contact points',
    'primaryChannel.mobile': 'Primary mobile channel',
    otpLength: 'OTP length',
    'retryChannels.mobile': 'Mobile resend channels',
    retryCount: 'Resend count',
    retryTime: 'Resend wait (seconds)',
    expiryTime: 'Code expiry (minutes)',
    countryChannels: 'Country-wise primary channel',
    allowedCountries: 'Allowed countries',
    defaultCountry: 'Default country',
    maxAttempts: 'Max attempts',
    'captcha.provider': 'Captcha provider',
    'captcha.siteKey': 'Captcha site key',
    'captcha.secretKey': 'Captcha secret key',
    'captcha.scoreThreshold': 'Captcha score threshold',
    allowedOrigins: 'Allowed origins',
    language: 'Popup language',
    redirectUrl: 'Redirect URL',
    brandColor: 'Brand colour',
    logoUrl: 'Logo URL',
    demoCredentials: 'Demo credentials',
  };
  const known = labels[key];
  if (known) return known;
  const row = /^countryChannels\.(\d+)$/.exec(key);
  if (row) return `Country-wise channel, row ${Number(row[1]) + 1}`;
  const demo = /^demoCredentials\.(\d+)\.(identifier|otp)$/.exec(key);
  if (demo) return `Demo ${demo[2] === 'otp' ? 'OTP' : 'identifier'}, row ${Number(demo[1]) + 1}`;
  return key;
}

/** The id of the control an error key points at (the first checkbox of a group). */
function targetId(key: string): string {
  if (key === 'contactPoints') return `${fieldId('contactPoints')}-mobile`;
  if (key === 'retryChannels.mobile') return `${fieldId('retryChannels.mobile')}-sms`;
  if (key === 'countryChannels') return fieldId('countryChannels');
  if (/^countryChannels\.\d+$/.test(key)) return `${fieldId(key)}-country`;
  if (key === 'demoCredentials') return fieldId('demoCredentials');
  return fieldId(key);
}

/** `/widgets/new` (widgetId null) or `/widgets/:widgetId`. */
export function WidgetEditor(props: { widgetId: string | null }): JSX.Element {
  const { widgetId } = props;
  const loaded = useLoad(
    () => (widgetId === null ? Promise.resolve(null) : api.getWidget(widgetId)),
    [widgetId],
  );
  if (loaded.error) {
    return (
      <>
        <PageHeader title="Widget" back={{ to: '/widgets', label: 'Widgets' }} />
        <Notice
          tone="error"
          title={
            isApiError(loaded.error, 'WIDGET_NOT_FOUND', 'NOT_FOUND')
              ? 'Widget not found'
              : 'Could not load the widget'
          }
        >
          <p>{loaded.error.message}</p>
        </Notice>
      </>
    );
  }
  if (loaded.loading && loaded.data === undefined) return <Loading label="Loading widget…" />;
  return (
    <SettingsForm
      key={widgetId ?? 'new'}
      widget={loaded.data ?? null}
      onSaved={(w) => loaded.setData(w)}
    />
  );
}

function SettingsForm(props: {
  widget: Widget | null;
  onSaved: (widget: Widget) => void;
}): JSX.Element {
  const { widget } = props;
  const initial = useMemo(() => (widget ? formFromWidget(widget) : newWidgetForm()), [widget]);
  const [form, setForm] = useState<WidgetForm>(initial);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [generalError, setGeneralError] = useState<string | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const clientErrors = useMemo(() => validateWidgetForm(form), [form]);
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);

  function err(key: string): string | undefined {
    const client = submitted || touched.has(key) ? clientErrors[key] : undefined;
    return client ?? serverErrors[key];
  }
  const blur = (key: string): void => {
    if (!touched.has(key)) setTouched(new Set(touched).add(key));
  };
  function set<K extends keyof WidgetForm>(key: K, value: WidgetForm[K], errorKey?: string): void {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
    if (errorKey && serverErrors[errorKey] !== undefined) {
      const { [errorKey]: _, ...rest } = serverErrors;
      setServerErrors(rest);
    }
  }

  // The saved widget as the server serves it now (shown at the top)…
  const savedWarning = widget ? originsWarning(widget.allowedOrigins, meta.value) : null;
  // …and, under the field, what it would do with the origins as typed once saved.
  const originsText = originsWarning(parseLines(form.allowedOrigins), meta.value);
  const originsNotice = originsText && !savedWarning && (
    <Notice tone="warning" title="Browsers will not be able to use this widget">
      <p>{originsText}</p>
    </Notice>
  );

  const shownErrors = Object.keys({ ...serverErrors, ...(submitted ? clientErrors : {}) })
    .map((key) => [key, err(key)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    setSubmitted(true);
    setGeneralError(null);
    setSaved(false);
    if (Object.keys(clientErrors).length > 0) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setSaving(true);
    try {
      const settings = settingsFromForm(form);
      if (widget) {
        const updated = await api.updateWidget(widget.widgetId, settings);
        // The server's normal form (upper-case countries, trimmed origins) becomes the baseline.
        setForm(formFromWidget(updated));
        setServerErrors({});
        setSubmitted(false);
        setTouched(new Set());
        setSaved(true);
        props.onSaved(updated);
      } else {
        const created = await api.createWidget(settings);
        navigateWithFlash(`/widgets/${encodeURIComponent(created.widgetId)}`, {
          tone: 'success',
          title: 'Widget created',
          body: (
            <p>
              Its first token is <code class="mono">{created.tokenAuth}</code>{' '}
              <CopyButton value={created.tokenAuth} label="Copy token" />. Use it with the widget id
              on your site; manage tokens under <strong>Tokens</strong>.
            </p>
          ),
        });
      }
    } catch (e) {
      if (isApiError(e) && e.fields.length > 0) {
        const mapped = widgetErrorsFromIssues(e.fields, form);
        setServerErrors(mapped.errors);
        setGeneralError(
          mapped.unplaced.length > 0
            ? mapped.unplaced.map((i) => `${i.path}: ${i.message}`).join('; ')
            : null,
        );
      } else {
        setGeneralError(e instanceof Error ? e.message : String(e));
      }
      requestAnimationFrame(() => summary.current?.focus());
    } finally {
      setSaving(false);
    }
  }

  const title = widget ? widget.name : 'New widget';
  const submitLabel = widget ? 'Save changes' : 'Create widget';

  return (
    <>
      <PageHeader
        title={title}
        back={{ to: '/widgets', label: 'Widgets' }}
        description={
          widget ? (
            <span class="id-line">
              <StatusBadge status={widget.status} /> <span class="muted">Widget id</span>{' '}
              <code class="mono">{widget.widgetId}</code>{' '}
              <CopyButton value={widget.widgetId} label="Copy widget id" />
            </span>
          ) : (
            'Choose who the widget verifies and how. Every setting can be changed later.'
          )
        }
        actions={
          widget && (
            <>
              <Link to={`/widgets/${encodeURIComponent(widget.widgetId)}/tokens`} class="button">
                Tokens
              </Link>
              <Link
                to={`/templates?widgetId=${encodeURIComponent(widget.widgetId)}`}
                class="button"
              >
                Templates
              </Link>
              <ConfirmButton
                label="Delete widget"
                title={`Delete “${widget.name}”?`}
                confirmLabel="Delete widget"
                tone="danger"
                onConfirm={async () => {
                  await api.deleteWidget(widget.widgetId);
                  navigateWithFlash('/widgets', {
                    tone: 'success',
                    title: `Widget “${widget.name}” deleted`,
                  });
                }}
              >
                <p>
                  Sites using it stop working at once: its tokens and its own templates go with it.
                </p>
              </ConfirmButton>
            </>
          )
        }
      />
      <Flash />
      {savedWarning && (
        <Notice tone="warning" title="No allowed origins">
          <p>
            {savedWarning} <a href={`#${fieldId('allowedOrigins')}`}>Go to Allowed origins</a>
          </p>
        </Notice>
      )}
      <div class={widget ? 'editor-layout' : 'editor-layout editor-layout--single'}>
        <form class="editor" onSubmit={save} noValidate aria-label="Widget settings">
          <div ref={summary} tabIndex={-1} class="summary-anchor">
            {(shownErrors.length > 0 || generalError) && (
              <Notice
                tone="error"
                title={
                  shownErrors.length > 0
                    ? `Fix ${shownErrors.length === 1 ? 'this setting' : `these ${shownErrors.length} settings`} to save`
                    : 'Could not save'
                }
              >
                {shownErrors.length > 0 && (
                  <ul class="summary-list">
                    {shownErrors.map(([key, message]) => (
                      <li key={key}>
                        <a href={`#${targetId(key)}`}>
                          {labelFor(key)}: {message}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
                {generalError && <p>{generalError}</p>}
              </Notice>
            )}
          </div>

          <section class="card" aria-labelledby="section-basics">
            <h2 id="section-basics">Basics</h2>
            <Field
              name="name"
              label="Widget name"
              error={err('name')}
              onBlurField={blur}
              hint="Only you see it, e.g. “Shop login”."
            >
              {(a) => (
                <input
                  {...a}
                  type="text"
                  autoComplete="off"
                  value={form.name}
                  onInput={(e) => set('name', e.currentTarget.value, 'name')}
                />
              )}
            </Field>
            <div class="grid-2">
              <SelectField
                name="status"
                label="Status"
                error={err('status')}
                hint="A disabled widget refuses to send codes."
                value={form.status}
                options={STATUSES}
                onChange={(v) => set('status', v, 'status')}
              />
              <SelectField
                name="verificationType"
                label="Verification type"
                error={err('verificationType')}
                hint={
                  form.verificationType === 'magic_link'
                    ? 'The message carries a link to the redirect URL instead of a code.'
                    : 'The visitor types the code they receive.'
                }
                value={form.verificationType}
                options={VERIFICATION_TYPES}
                onChange={(v) => set('verificationType', v, 'verificationType')}
              />
            </div>
            <FieldGroup
              name="contactPoints"
              legend="Contact points"
              hint="What the visitor is asked for."
              error={err('contactPoints')}
              onBlurField={blur}
            >
              <div class="checks">
                <Checkbox
                  id={`${fieldId('contactPoints')}-mobile`}
                  label="Mobile number"
                  checked={form.mobile}
                  onChange={(v) => set('mobile', v, 'contactPoints')}
                />
                <Checkbox
                  id={`${fieldId('contactPoints')}-email`}
                  label="Email address"
                  checked={form.email}
                  onChange={(v) => set('email', v, 'contactPoints')}
                />
              </div>
            </FieldGroup>
            <div class="grid-2">
              {form.mobile && (
                <SelectField
                  name="primaryChannel.mobile"
                  label="Primary mobile channel"
                  error={err('primaryChannel.mobile')}
                  hint="The first code to a phone goes out here."
                  value={form.primaryMobile}
                  options={MOBILE_CHANNELS}
                  onChange={(v) => set('primaryMobile', v, 'primaryChannel.mobile')}
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
              <Field
                name="otpLength"
                label="OTP length"
                error={err('otpLength')}
                onBlurField={blur}
                hint="4 to 9 digits."
              >
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    inputMode="numeric"
                    min={4}
                    max={9}
                    step={1}
                    value={form.otpLength}
                    onInput={(e) => set('otpLength', e.currentTarget.value, 'otpLength')}
                  />
                )}
              </Field>
            </div>
          </section>

          <section class="card" aria-labelledby="section-resend">
            <h2 id="section-resend">Resend</h2>
            {form.mobile && (
              <FieldGroup
                name="retryChannels.mobile"
                legend="Mobile resend channels"
                hint="The channels a visitor may pick under “Didn’t get it?”."
                error={err('retryChannels.mobile')}
                onBlurField={blur}
              >
                <div class="checks">
                  {MOBILE_CHANNELS.map((c) => (
                    <Checkbox
                      key={c.value}
                      id={`${fieldId('retryChannels.mobile')}-${c.value}`}
                      label={c.label}
                      checked={form.retryMobile.includes(c.value)}
                      onChange={(on) =>
                        set(
                          'retryMobile',
                          MOBILE_CHANNELS.map((m) => m.value).filter((v) =>
                            v === c.value ? on : form.retryMobile.includes(v),
                          ),
                          'retryChannels.mobile',
                        )
                      }
                    />
                  ))}
                </div>
              </FieldGroup>
            )}
            {form.email && (
              <p class="muted small">Codes to an email address are resent by email.</p>
            )}
            <div class="grid-3">
              <Field
                name="retryCount"
                label="Resend count"
                error={err('retryCount')}
                onBlurField={blur}
                hint="0 to 10 resends per code."
              >
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={10}
                    step={1}
                    value={form.retryCount}
                    onInput={(e) => set('retryCount', e.currentTarget.value, 'retryCount')}
                  />
                )}
              </Field>
              <Field
                name="retryTime"
                label="Resend wait (seconds)"
                error={err('retryTime')}
                onBlurField={blur}
                hint="0 to 600, before a resend is offered."
              >
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={600}
                    step={1}
                    value={form.retryTime}
                    onInput={(e) => set('retryTime', e.currentTarget.value, 'retryTime')}
                  />
                )}
              </Field>
              <Field
                name="expiryTime"
                label="Code expiry (minutes)"
                error={err('expiryTime')}
                onBlurField={blur}
                hint="1 to 1440 minutes."
              >
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={1440}
                    step={1}
                    value={form.expiryTime}
                    onInput={(e) => set('expiryTime', e.currentTarget.value, 'expiryTime')}
                  />
                )}
              </Field>
            </div>
          </section>

          <section class="card" aria-labelledby="section-advanced">
            <h2 id="section-advanced">Advanced</h2>
            {form.mobile && (
              <FieldGroup
                name="countryChannels"
                legend="Country-wise primary channel"
                hint="Send the first code over another channel to some countries, e.g. WhatsApp where it is cheaper than SMS."
                error={err('countryChannels')}
              >
                {form.countryChannels.length > 0 && (
                  <ul class="rows">
                    {form.countryChannels.map((row, i) => {
                      const rowKey = `countryChannels.${i}`;
                      const rowError = err(rowKey);
                      return (
                        <li key={i} class="row">
                          <Field
                            name={`${rowKey}.country`}
                            label={`Country, row ${i + 1}`}
                            hideLabel
                            error={rowError}
                            onBlurField={() => blur(rowKey)}
                            class="row__grow"
                          >
                            {(a) => (
                              <select
                                {...a}
                                value={row.country}
                                onChange={(e) => {
                                  const next = [...form.countryChannels];
                                  next[i] = { ...row, country: e.currentTarget.value };
                                  set('countryChannels', next, rowKey);
                                }}
                              >
                                <option value="">Choose a country…</option>
                                {countries().map((c) => (
                                  <option key={c.code} value={c.code}>
                                    {c.name} ({c.code})
                                  </option>
                                ))}
                              </select>
                            )}
                          </Field>
                          <Field
                            name={`${rowKey}.channel`}
                            label={`Channel, row ${i + 1}`}
                            hideLabel
                          >
                            {(a) => (
                              <select
                                {...a}
                                value={row.channel}
                                onChange={(e) => {
                                  const next = [...form.countryChannels];
                                  next[i] = {
                                    ...row,
                                    channel: e.currentTarget.value as MobileChannel,
                                  };
                                  set('countryChannels', next, rowKey);
                                }}
                              >
                                {MOBILE_CHANNELS.map((c) => (
                                  <option key={c.value} value={c.value}>
                                    {c.label}
                                  </option>
                                ))}
                              </select>
                            )}
                          </Field>
                          <button
                            type="button"
                            class="button button--small button--ghost"
                            aria-label={`Remove country row ${i + 1}`}
                            onClick={() =>
                              set(
                                'countryChannels',
                                form.countryChannels.filter((_, j) => j !== i),
                                rowKey,
                              )
                            }
                          >
                            Remove
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                )}
                <button
                  type="button"
                  class="button button--small"
                  onClick={() =>
                    set('countryChannels', [
                      ...form.countryChannels,
                      { country: '', channel: 'whatsapp' },
                    ])
                  }
                >
                  Add country
                </button>
              </FieldGroup>
            )}
            <div class="grid-2">
              <Field
                name="allowedCountries"
                label="Allowed countries"
                error={err('allowedCountries')}
                onBlurField={blur}
                hint={(() => {
                  const codes = parseCountryList(form.allowedCountries).filter(
                    (c) => /^[A-Z]{2}$/.test(c) || c === NON_GEOGRAPHIC,
                  );
                  return codes.length > 0
                    ? `Only numbers from: ${codes.map(countryName).join(', ')}.`
                    : `ISO codes such as IN, US. Empty: numbers from every country. Satellite and international-network numbers (+870, +881, +882…: costly, favoured by SMS fraud) are refused unless you add ${NON_GEOGRAPHIC}.`;
                })()}
              >
                {(a) => (
                  <input
                    {...a}
                    type="text"
                    autoComplete="off"
                    spellcheck={false}
                    placeholder="IN, US"
                    value={form.allowedCountries}
                    onInput={(e) =>
                      set('allowedCountries', e.currentTarget.value, 'allowedCountries')
                    }
                  />
                )}
              </Field>
              <SelectField
                name="defaultCountry"
                label="Default country"
                error={err('defaultCountry')}
                onBlurField={blur}
                hint="Preselected in the phone number field."
                value={form.defaultCountry}
                options={countries().map((c) => ({
                  value: c.code,
                  label: `${c.name} (${c.code})`,
                }))}
                onChange={(v) => set('defaultCountry', v, 'defaultCountry')}
              />
              <Field
                name="maxAttempts"
                label="Max attempts"
                error={err('maxAttempts')}
                onBlurField={blur}
                hint="1 to 20 wrong codes before a new code is needed."
              >
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={20}
                    step={1}
                    value={form.maxAttempts}
                    onInput={(e) => set('maxAttempts', e.currentTarget.value, 'maxAttempts')}
                  />
                )}
              </Field>
              <SelectField
                name="language"
                label="Popup language"
                error={err('language')}
                hint="The language the popup and the messages speak. Automatic: the first of the visitor’s browser languages that otpkit speaks, else English."
                value={form.language}
                options={LANGUAGES}
                onChange={(v) => set('language', v, 'language')}
              />
            </div>

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
                        set(
                          'captchaScoreThreshold',
                          e.currentTarget.value,
                          'captcha.scoreThreshold',
                        )
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
                      onInput={(e) =>
                        set('captchaSiteKey', e.currentTarget.value, 'captcha.siteKey')
                      }
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
                      onInput={(e) =>
                        set('captchaSecretKey', e.currentTarget.value, 'captcha.secretKey')
                      }
                    />
                  )}
                </Field>
              </div>
            )}

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

            <h3>Embedding and look</h3>
            <Field
              name="allowedOrigins"
              label="Allowed origins"
              error={err('allowedOrigins')}
              onBlurField={blur}
              hint={allowedOriginsHint(meta.value)}
            >
              {(a) => (
                <textarea
                  {...a}
                  rows={3}
                  spellcheck={false}
                  autoComplete="off"
                  placeholder="https://shop.example"
                  value={form.allowedOrigins}
                  onInput={(e) => set('allowedOrigins', e.currentTarget.value, 'allowedOrigins')}
                />
              )}
            </Field>
            {originsNotice}
            <div class="grid-2">
              <Field
                name="redirectUrl"
                label="Redirect URL"
                error={err('redirectUrl')}
                onBlurField={blur}
                hint="Magic links: where the visitor lands after verifying."
              >
                {(a) => (
                  <input
                    {...a}
                    type="url"
                    autoComplete="off"
                    spellcheck={false}
                    placeholder="https://shop.example/welcome"
                    value={form.redirectUrl}
                    onInput={(e) => set('redirectUrl', e.currentTarget.value, 'redirectUrl')}
                  />
                )}
              </Field>
              <Field
                name="logoUrl"
                label="Logo URL"
                error={err('logoUrl')}
                onBlurField={blur}
                hint="Shown at the top of the popup."
              >
                {(a) => (
                  <input
                    {...a}
                    type="url"
                    autoComplete="off"
                    spellcheck={false}
                    placeholder="https://shop.example/logo.svg"
                    value={form.logoUrl}
                    onInput={(e) => set('logoUrl', e.currentTarget.value, 'logoUrl')}
                  />
                )}
              </Field>
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
                      value={
                        /^#[0-9a-fA-F]{6}$/.test(form.brandColor) ? form.brandColor : '#4f46e5'
                      }
                      onInput={(e) => set('brandColor', e.currentTarget.value, 'brandColor')}
                    />
                  </div>
                )}
              </Field>
            </div>
          </section>

          <section class="card" aria-labelledby="section-demo">
            <h2 id="section-demo">Demo credentials</h2>
            <p class="muted" id={fieldId('demoCredentials')} tabIndex={-1}>
              For app-store reviewers: no message is sent, the fixed code works. Each code must have
              OTP length digits. Use identifiers nobody real owns.
            </p>
            {err('demoCredentials') && <p class="field__error">{err('demoCredentials')}</p>}
            {form.demoCredentials.length > 0 && (
              <ul class="rows">
                {form.demoCredentials.map((d, i) => {
                  const update = (patch: Partial<typeof d>, key: string) => {
                    const next = [...form.demoCredentials];
                    next[i] = { ...d, ...patch };
                    set('demoCredentials', next, key);
                  };
                  return (
                    <li key={i} class="row">
                      <Field
                        name={`demoCredentials.${i}.identifier`}
                        label={`Demo identifier, row ${i + 1}`}
                        hideLabel
                        error={err(`demoCredentials.${i}.identifier`)}
                        onBlurField={blur}
                        class="row__grow"
                      >
                        {(a) => (
                          <input
                            {...a}
                            type="text"
                            autoComplete="off"
                            spellcheck={false}
                            placeholder="919999999999 or review@example.com"
                            value={d.identifier}
                            onInput={(e) =>
                              update(
                                { identifier: e.currentTarget.value },
                                `demoCredentials.${i}.identifier`,
                              )
                            }
                          />
                        )}
                      </Field>
                      <Field
                        name={`demoCredentials.${i}.otp`}
                        label={`Demo OTP, row ${i + 1}`}
                        hideLabel
                        error={err(`demoCredentials.${i}.otp`)}
                        onBlurField={blur}
                      >
                        {(a) => (
                          <input
                            {...a}
                            type="text"
                            inputMode="numeric"
                            autoComplete="off"
                            placeholder="123456"
                            class="input--code"
                            value={d.otp}
                            onInput={(e) =>
                              update({ otp: e.currentTarget.value }, `demoCredentials.${i}.otp`)
                            }
                          />
                        )}
                      </Field>
                      <button
                        type="button"
                        class="button button--small button--ghost"
                        aria-label={`Remove demo credential row ${i + 1}`}
                        onClick={() =>
                          set(
                            'demoCredentials',
                            form.demoCredentials.filter((_, j) => j !== i),
                            'demoCredentials',
                          )
                        }
                      >
                        Remove
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <button
              type="button"
              class="button button--small"
              onClick={() =>
                set('demoCredentials', [...form.demoCredentials, { identifier: '', otp: '' }])
              }
            >
              Add demo credential
            </button>
          </section>

          <div class="savebar">
            <p class="savebar__state" role="status">
              {saving
                ? 'Saving…'
                : saved
                  ? 'Changes saved.'
                  : dirty
                    ? 'Unsaved changes'
                    : widget
                      ? 'All changes saved'
                      : ''}
            </p>
            {widget && dirty && (
              <button
                type="button"
                class="button"
                onClick={() => {
                  setForm(initial);
                  setServerErrors({});
                  setSubmitted(false);
                  setGeneralError(null);
                }}
              >
                Discard changes
              </button>
            )}
            <button
              type="submit"
              class="button button--primary"
              disabled={saving}
              aria-busy={saving || undefined}
            >
              {submitLabel}
            </button>
          </div>
        </form>
        {widget && (
          <aside class="side" aria-label="Try it and embed">
            <TryIt widget={widget} dirty={dirty} />
          </aside>
        )}
      </div>
    </>
  );
}
