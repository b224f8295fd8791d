/**
 * English, the everyday flow: every string the popup shows on its way from
 * the first field to "Verified". The rest of English (explanations of
 * errors from the server, the wording after a magic link is sent) is
 * `en-more.ts`, its own chunk fetched in the background once the popup is
 * open. `{name}` marks a value filled in at run time; keys ending in `.one` /
 * `.other` are plural forms chosen with `Intl.PluralRules`.
 */
import type { enMore } from './en-more.ts';

export const en = {
  'dialog.close': 'Close',
  'dialog.loading': 'Loading…',
  'identifier.title.mobile': 'Verify your phone number',
  'identifier.title.email': 'Verify your email',
  'identifier.tabs': 'How should we reach you?',
  'identifier.tab.mobile': 'Phone',
  'identifier.tab.email': 'Email',
  'identifier.label.mobile': 'Phone number',
  'identifier.label.email': 'Email address',
  'identifier.hint.mobile': 'We’ll text you a code to confirm it’s you.',
  'identifier.hint.email': 'We’ll email you a code to confirm it’s you.',
  'identifier.send': 'Send code',
  'identifier.sending': 'Sending code…',
  'identifier.invalid.mobile': 'Enter a valid phone number.',
  'identifier.invalid.email': 'Enter a valid email address, like name@example.com.',
  'country.button': '+{dialCode} {country}, change country',
  'country.search': 'Search countries',
  'country.list': 'Countries',
  'country.none': 'No country matches “{query}”.',
  'country.back': 'Back',
  'code.title.mobile': 'Check your phone',
  'code.title.email': 'Check your email',
  'code.sentTo': 'Enter the {length}-digit code sent to {identifier}',
  'code.edit': 'Edit',
  'code.label': 'Verification code',
  'code.verifying': 'Checking the code…',
  'code.wrong.one': 'That code didn’t work. You have {count} try left.',
  'code.wrong.other': 'That code didn’t work. You have {count} tries left.',
  'code.wrong': 'That code didn’t work. Check it and try again.',
  'code.incomplete': 'Enter all {length} digits of the code.',
  'code.resent': 'We sent a new code.',
  'code.newCode': 'Send a new code',
  'resend.prompt': 'Didn’t get it?',
  'resend.wait': 'Didn’t get it? Resend in {time}',
  'resend.ready': 'You can ask for a new code now.',
  'resend.sms': 'Text me again',
  'resend.voice': 'Call me',
  'resend.whatsapp': 'WhatsApp',
  'resend.telegram': 'Telegram',
  'resend.email': 'Email',
  'link.hint.mobile': 'We’ll text you a link to confirm it’s you.',
  'link.hint.email': 'We’ll email you a link to confirm it’s you.',
  'link.send': 'Send link',
  'done.title': 'Verified',
  'done.body': 'You’re all set.',
  'error.offline': 'You seem to be offline. Check your connection and try again.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.unavailable.title': 'Verification unavailable',
  'error.retry': 'Try again',
} as const;

/** A message key. */
export type MessageKey = keyof typeof en | keyof typeof enMore;

/** A whole catalogue: a sentence for every key. */
export type Messages = Readonly<Record<MessageKey, string>>;
