// @vitest-environment node
// The popup's rules without a DOM: each transition is called with a state and an event, and
// what it returns (the changes and the effects, as data) is the whole of what it does.
import type { WidgetData } from '@otpkit/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OtpError, OtpSent, OtpVerified } from '../client.ts';
import { createTranslator, loadLanguage } from '../i18n/index.ts';
import { findCountry } from './countries.ts';
import * as phone from './phone.ts';
import {
  askNewCode,
  askResend,
  askSend,
  askVerify,
  codeSent,
  codeTyped,
  contactPointChosen,
  countryChosen,
  edited,
  initialState,
  linkAnswered,
  loadFailed,
  offerAnswered,
  opened,
  type PopupState,
  phoneFormattingArrived,
  phoneTyped,
  resendChannelsOf,
  resendReady,
  resent,
  type SentTo,
  verified,
} from './transitions.ts';

// The whole English catalogue and the explanations of rarer errors, as the popup fetches them.
beforeAll(() => loadLanguage('en'));

it('runs where there is no DOM', () => {
  expect(typeof document).toBe('undefined');
});

const data = (extra: Partial<Record<string, unknown>> = {}): WidgetData =>
  ({
    widgetId: 'w1',
    otpLength: 6,
    processType: { value: '1', name: 'Both' },
    defaultCountry: { iso2: 'IN', name: 'India', dialCode: '91' },
    resendChannels: { mobile: ['sms', 'voice'], email: ['email'] },
    retryTime: 30,
    ...extra,
  }) as unknown as WidgetData;

const IN = findCountry('IN')!;
const GB = findCountry('GB')!;
const NOW = 1_000_000;
const to: SentTo = {
  identifier: '919876543210',
  display: '+91 98765 43210',
  contactPoint: 'mobile',
};
const error = (code: OtpError['code'], extra: Partial<OtpError> = {}): OtpError => ({
  type: 'error',
  code,
  message: code,
  ...extra,
});
const sent = (extra: Partial<OtpSent> = {}): OtpSent => ({
  type: 'success',
  message: 'r1',
  reqId: 'r1',
  ...extra,
});

/** A state on the identifier step of a loaded widget, with `changes` on top. */
function at(changes: Partial<PopupState> = {}, widget = data()): PopupState {
  return {
    ...initialState(createTranslator('en')),
    widget,
    step: 'identifier',
    country: IN,
    ...changes,
  };
}
/** A state on the code step, the code sent to {@link to}. */
const onCode = (changes: Partial<PopupState> = {}, widget?: WidgetData): PopupState =>
  at({ step: 'code', sentTo: to, ...changes }, widget);

describe('opening', () => {
  it("starts on the identifier step, in the widget's default country", () => {
    const [changes, effects] = opened(at({ step: 'loading', widget: null }), { data: data() });
    expect(changes).toMatchObject({ step: 'identifier', country: IN, contactPoint: 'mobile' });
    expect(effects).toEqual([]);
  });

  it('prefers the country remembered from last time, if the widget offers it', () => {
    const state = at({ step: 'loading' });
    expect(opened(state, { data: data(), remembered: 'gb' })[0].country).toBe(GB);
    const onlyIndia = data({ allowedCountries: ['IN'] });
    expect(opened(state, { data: onlyIndia, remembered: 'GB' })[0].country).toBe(IN);
  });

  it('splits a prefilled number into its country and national part, and fetches formatting', () => {
    const [changes, effects] = opened(at(), { data: data(), identifier: '+44 7400 123456' });
    expect(changes).toMatchObject({ country: GB, phoneText: '7400123456', contactPoint: 'mobile' });
    expect(effects).toEqual([{ type: 'loadPhone' }]);
  });

  it('takes a prefilled email to the email field of a widget that has one', () => {
    expect(opened(at(), { data: data(), identifier: ' a@b.co ' })[0]).toMatchObject({
      email: 'a@b.co',
      contactPoint: 'email',
    });
    const phoneOnly = data({ processType: { value: '2', name: 'Mobile' } });
    expect(opened(at(), { data: phoneOnly, identifier: 'a@b.co' })[0].contactPoint).toBe('mobile');
  });

  it('turns a disabled widget into the unavailable step and a report to the page', () => {
    const [changes, effects] = opened(at(), { data: data({ status: { value: '0' } }) });
    expect(changes).toEqual({ step: 'unavailable' });
    expect(effects).toEqual([
      { type: 'report', error: expect.objectContaining({ code: 'WIDGET_DISABLED' }) },
    ]);
  });

  it('is offline after a network error, and unavailable (reported) after any other', () => {
    expect(loadFailed(error('NETWORK_ERROR'))).toEqual([{ step: 'offline' }, []]);
    const refused = error('ORIGIN_NOT_ALLOWED');
    expect(loadFailed(refused)).toEqual([
      { step: 'unavailable' },
      [{ type: 'report', error: refused }],
    ]);
  });
});

describe('the identifier step', () => {
  it('formats typing at the end, and fetches formatting on the first keystroke', () => {
    const [changes, effects] = phoneTyped(at({ phone }), { text: '98765432', caretAtEnd: true });
    expect(changes.phoneText).toBe(phone.formatNational('IN', '98765432'));
    expect(changes.phoneText).not.toBe('98765432');
    expect(effects).toEqual([{ type: 'loadPhone' }]);
  });

  it('leaves text edited in the middle, or just stripped of a space, as typed', () => {
    const state = at({ phone, phoneText: '98765 43210' });
    expect(phoneTyped(state, { text: '9876 43210', caretAtEnd: false })[0].phoneText).toBe(
      '9876 43210',
    );
    expect(phoneTyped(state, { text: '9876543210', caretAtEnd: true })[0].phoneText).toBe(
      '9876543210',
    );
  });

  it('picks the country from a pasted international number, remembers it, and says when it is not offered', () => {
    const state = at({}, data({ allowedCountries: ['IN'] }));
    const [changes, effects] = phoneTyped(state, { text: '+44 7400 123456', caretAtEnd: true });
    expect(changes.country).toBe(GB);
    expect(changes.phoneText).toBe('7400123456');
    expect(changes.fieldError).toContain('United Kingdom');
    expect(effects).toEqual([{ type: 'loadPhone' }, { type: 'saveCountry', iso2: 'GB' }]);
  });

  it('reformats what was typed when formatting arrives', () => {
    const [changes] = phoneFormattingArrived(at({ phoneText: '7400123456', country: GB }), phone);
    expect(changes).toEqual({ phone, phoneText: phone.formatNational('GB', '7400123456') });
  });

  it('keeps the digits when the country changes, clears the error, and remembers the choice', () => {
    const [changes, effects] = countryChosen(at({ phoneText: '98765', fieldError: 'x' }), GB);
    expect(changes).toEqual({ country: GB, fieldError: '', phoneText: '98765' });
    expect(effects).toEqual([{ type: 'saveCountry', iso2: 'GB' }]);
  });

  it('switches only to a contact point the widget takes', () => {
    expect(contactPointChosen(at({ fieldError: 'x' }), 'email')[0]).toEqual({
      contactPoint: 'email',
      fieldError: '',
    });
    const phoneOnly = at({}, data({ processType: { value: '2', name: 'Mobile' } }));
    expect(contactPointChosen(phoneOnly, 'email')[0]).toEqual({});
  });

  it('sends a valid number with the dial code, leading zeros dropped, and shows it formatted', () => {
    const [changes, effects] = askSend(at({ phone, phoneText: '09876 543210' }));
    expect(changes).toEqual({ fieldError: '', busy: true, status: 'Sending code…' });
    expect(effects).toEqual([
      {
        type: 'send',
        again: false,
        to: {
          identifier: '919876543210',
          display: phone.formatInternational(IN, '9876543210'),
          contactPoint: 'mobile',
        },
      },
    ]);
  });

  it('refuses a short number, a bad email, a country not offered, and a second send', () => {
    expect(askSend(at({ phoneText: '123' }))).toEqual([
      { fieldError: 'Enter a valid phone number.' },
      [],
    ]);
    expect(askSend(at({ contactPoint: 'email', email: 'a@b' }))[0].fieldError).toMatch(
      /valid email/,
    );
    const onlyGb = at({ phoneText: '9876543210' }, data({ allowedCountries: ['GB'] }));
    expect(askSend(onlyGb)[0].fieldError).toContain('India');
    expect(askSend(at({ busy: true, phoneText: '9876543210' }))).toEqual([{}, []]);
  });
});

describe('sending a code', () => {
  it('opens the code step with the countdown from the server, and a fresh slate', () => {
    const state = at({ busy: true, code: '12', codeError: 'x', blocked: 'expired' });
    const [changes, effects] = codeSent(state, {
      sent: sent({ retryAfter: 20, retriesLeft: 2 }),
      to,
      again: false,
      now: NOW,
    });
    expect(changes).toMatchObject({
      step: 'code',
      busy: false,
      status: '',
      code: '',
      codeError: '',
      blocked: null,
      retriesLeft: 2,
      resendAt: NOW + 20_000,
      sentTo: { ...to, matchNumber: undefined },
      focusCode: 0,
    });
    expect(effects).toEqual([{ type: 'wait', reqId: undefined }]);
  });

  it("falls back to the widget's retryTime for the countdown", () => {
    const [changes] = codeSent(at(), { sent: sent(), to, again: false, now: NOW });
    expect(changes.resendAt).toBe(NOW + 30_000);
  });

  it('waits for a magic link, with the number its page will ask for', () => {
    const magic = at({}, data({ verificationType: { value: '2' } }));
    const [changes, effects] = codeSent(magic, {
      sent: sent({ matchNumber: 42 }),
      to,
      again: false,
      now: NOW,
    });
    expect(changes.sentTo?.matchNumber).toBe(42);
    expect(effects).toEqual([{ type: 'wait', reqId: 'r1' }]);
  });

  it('a fresh code says so and takes the focus back', () => {
    const [changes] = codeSent(onCode({ focusCode: 3 }), {
      sent: sent(),
      to,
      again: true,
      now: NOW,
    });
    expect(changes).toMatchObject({ status: 'We sent a new code.', focusCode: 4 });
  });

  it('puts a refusal under the field, and reports a missing template variable to the page', () => {
    const limited = codeSent(at({ busy: true }), {
      sent: error('RATE_LIMITED', { retryAfter: 240 }),
      to,
      again: false,
      now: NOW,
    });
    expect(limited[0]).toMatchObject({ busy: false, status: '' });
    expect(limited[0].fieldError).toBeTruthy();
    expect(limited[1]).toEqual([]);
    const missing = error('TEMPLATE_VARIABLE_MISSING');
    expect(codeSent(at(), { sent: missing, to, again: false, now: NOW })[1]).toEqual([
      { type: 'report', error: missing },
    ]);
  });

  it('turns a misconfiguration into the unavailable step', () => {
    const refused = error('INVALID_TOKEN_AUTH');
    expect(codeSent(at({ busy: true }), { sent: refused, to, again: false, now: NOW })).toEqual([
      { busy: false, status: '', step: 'unavailable' },
      [{ type: 'report', error: refused }],
    ]);
  });

  it('asks for a fresh code only with somewhere to send it, and not twice', () => {
    expect(askNewCode(onCode({ codeError: 'x' }))).toEqual([
      { busy: true, codeError: '' },
      [{ type: 'send', to, again: true }],
    ]);
    expect(askNewCode(at())).toEqual([{}, []]);
    expect(askNewCode(onCode({ busy: true }))).toEqual([{}, []]);
  });
});

describe('the code step', () => {
  it('keeps only digits, up to the length, and verifies once the last one arrives', () => {
    expect(codeTyped(onCode(), '12 3')).toEqual([{ code: '123', codeError: '' }, []]);
    expect(codeTyped(onCode(), '123 4567')).toEqual([
      { code: '123456', codeError: '' },
      [{ type: 'verify' }],
    ]);
    expect(codeTyped(onCode({ codeError: 'x' }), '')).toEqual([{ code: '' }, []]);
  });

  it('checks a complete code, says how many digits an incomplete one lacks, and waits while busy or blocked', () => {
    expect(askVerify(onCode({ code: '123456' }))).toEqual([
      { busy: true, status: 'Checking the code…' },
      [{ type: 'check', code: '123456' }],
    ]);
    expect(askVerify(onCode({ code: '123' }))).toEqual([
      { codeError: 'Enter all 6 digits of the code.' },
      [],
    ]);
    expect(askVerify(onCode({ code: '123456', busy: true }))).toEqual([{}, []]);
    expect(askVerify(onCode({ code: '123456', blocked: 'expired' }))).toEqual([{}, []]);
  });

  it('finishes on a right code, or offers a passkey first when the widget can make one', () => {
    const ok: OtpVerified = { type: 'success', message: 'jwt', passkeyTicket: 't' };
    expect(verified(onCode({ busy: true }), ok)).toEqual([
      { busy: false, status: '', step: 'done' },
      [{ type: 'finish', result: ok }],
    ]);
    expect(verified(onCode({ passkeyUi: {} }), ok)).toEqual([
      { busy: false, status: '', pendingVerified: ok, step: 'passkey' },
      [],
    ]);
  });

  it('clears a wrong code, says the tries left, and takes the focus back', () => {
    const [changes, effects] = verified(
      onCode({ code: '111111', focusCode: 1 }),
      error('OTP_MISMATCH', { attemptsLeft: 2 }),
    );
    expect(changes).toEqual({
      busy: false,
      status: '',
      code: '',
      codeError: 'That code didn’t work. You have 2 tries left.',
      focusCode: 2,
    });
    expect(effects).toEqual([]);
  });

  it('blocks the code after the last try, and after it expired', () => {
    const last = verified(onCode(), error('OTP_MISMATCH', { attemptsLeft: 0 }))[0];
    expect(last).toMatchObject({
      blocked: 'tooManyTries',
      codeError: 'Too many wrong codes. Send a new code to try again.',
    });
    expect(verified(onCode(), error('MAX_ATTEMPTS_REACHED'))[0].blocked).toBe('tooManyTries');
    for (const code of ['OTP_EXPIRED', 'REQUEST_NOT_FOUND', 'ALREADY_VERIFIED'] as const) {
      expect(verified(onCode(), error(code))[0].blocked, code).toBe('expired');
    }
  });

  it('goes back to the identifier step on Edit, and stops waiting for a link', () => {
    expect(edited()).toEqual([
      { codeError: '', status: '', step: 'identifier' },
      [{ type: 'wait', reqId: undefined }],
    ]);
  });

  it('ends a link wait with the check mark, or with a way to a new link', () => {
    const ok: OtpVerified = { type: 'success', message: 'jwt' };
    expect(linkAnswered(onCode(), ok)).toEqual([
      { step: 'done' },
      [{ type: 'finish', result: ok }],
    ]);
    const [changes] = linkAnswered(onCode(), error('LINK_EXPIRED' as OtpError['code']));
    expect(changes.blocked).toBe('expired');
    expect(changes.codeError).toBeTruthy();
  });
});

describe('resending', () => {
  it('offers the channels the widget lists for where the code went, else the usual one', () => {
    expect(resendChannelsOf(onCode())).toEqual(['sms', 'voice']);
    expect(resendChannelsOf(onCode({}, data({ resendChannels: {} })))).toEqual(['sms']);
    const toEmail = onCode(
      { sentTo: { ...to, contactPoint: 'email' } },
      data({ resendChannels: {} }),
    );
    expect(resendChannelsOf(toEmail)).toEqual(['email']);
  });

  it('asks once at a time', () => {
    expect(askResend(onCode({ codeError: 'x', status: 'y' }), 'voice')).toEqual([
      { busy: true, codeError: '', status: '' },
      [{ type: 'resend', channel: 'voice' }],
    ]);
    expect(askResend(onCode({ busy: true }), 'voice')).toEqual([{}, []]);
  });

  it('restarts the countdown, says so, and checks a code typed in full meanwhile', () => {
    const [changes, effects] = resent(onCode({ busy: true, code: '123456', focusCode: 0 }), {
      sent: sent({ retryAfter: 45, retriesLeft: 1 }),
      now: NOW,
    });
    expect(changes).toEqual({
      busy: false,
      retriesLeft: 1,
      resendAt: NOW + 45_000,
      status: 'We sent a new code.',
      focusCode: 1,
    });
    expect(effects).toEqual([{ type: 'verify' }]);
    expect(resent(onCode({ code: '123' }), { sent: sent(), now: NOW })[1]).toEqual([]);
  });

  it('moves the countdown on RETRY_TOO_SOON and ends the resends on RETRY_LIMIT_REACHED', () => {
    const soon = resent(onCode(), {
      sent: error('RETRY_TOO_SOON', { retryAfter: 12 }),
      now: NOW,
    })[0];
    expect(soon.resendAt).toBe(NOW + 12_000);
    expect(resent(onCode(), { sent: error('RETRY_LIMIT_REACHED'), now: NOW })[0].retriesLeft).toBe(
      0,
    );
  });

  it('blocks an expired code, and then does not check one typed meanwhile', () => {
    const [changes, effects] = resent(onCode({ code: '123456' }), {
      sent: error('OTP_EXPIRED'),
      now: NOW,
    });
    expect(changes.blocked).toBe('expired');
    expect(effects).toEqual([]);
    const [, other] = resent(onCode({ code: '123456' }), { sent: error('RATE_LIMITED'), now: NOW });
    expect(other).toEqual([{ type: 'verify' }]);
  });
});

describe('the countdown and the passkey offer', () => {
  it('says once that a new code can be asked for', () => {
    expect(resendReady(onCode())).toEqual([{ status: 'You can ask for a new code now.' }, []]);
  });

  it('finishes with the code verified before the offer, announcing a passkey made', () => {
    const ok: OtpVerified = { type: 'success', message: 'jwt', passkeyTicket: 't' };
    const offered = onCode({ step: 'passkey', pendingVerified: ok, status: 'x' });
    expect(offerAnswered(offered, 'Passkey created.')).toEqual([
      { pendingVerified: null, status: 'Passkey created.', step: 'done' },
      [{ type: 'finish', result: ok }],
    ]);
    expect(offerAnswered(offered)).toEqual([
      { pendingVerified: null, step: 'done' },
      [{ type: 'finish', result: ok }],
    ]);
    expect(offerAnswered(onCode())).toEqual([{ pendingVerified: null }, []]);
  });
});
