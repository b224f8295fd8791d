/**
 * English: every string the popup shows. `{name}` marks a value filled in
 * at run time; keys ending in `.one` / `.other` are plural forms chosen with
 * `Intl.PluralRules`.
 */
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
  'code.tooManyTries': 'Too many wrong codes. Send a new code to try again.',
  'code.expired': 'This code has expired — send a new one.',
  'code.retryLimit': 'You can’t get this code again. Send a new one.',
  'code.resent': 'We sent a new code.',
  'code.newCode': 'Send a new code',
  'resend.prompt': 'Didn’t get it?',
  'resend.wait': 'Didn’t get it? Resend in {time}',
  'resend.ready': 'You can ask for a new code now.',
  'resend.none': 'No more resends are available for this code.',
  'resend.sms': 'Text me again',
  'resend.voice': 'Call me',
  'resend.whatsapp': 'WhatsApp',
  'resend.email': 'Email',
  'link.hint.mobile': 'We’ll text you a link to confirm it’s you.',
  'link.hint.email': 'We’ll email you a link to confirm it’s you.',
  'link.send': 'Send link',
  'link.sentTo':
    'We sent a sign-in link to {identifier}. Open it on any device and confirm: this page continues by itself.',
  'link.waiting': 'Waiting for you to open the link…',
  'link.expired': 'This link has expired — send a new one.',
  'link.resent': 'We sent a new link.',
  'link.newLink': 'Send a new link',
  'done.title': 'Verified',
  'done.body': 'You’re all set.',
  'error.offline': 'You seem to be offline. Check your connection and try again.',
  'error.rateLimited': 'Too many attempts. Try again in {time}.',
  'error.retryTooSoon': 'Please wait {time} before asking for another code.',
  'error.channel': 'That way of sending the code isn’t available. Try another.',
  'error.delivery': 'We couldn’t send the code. Try again, or use another way.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.alreadyVerified': 'This code was already used. Send a new one.',
  'error.captcha': 'We couldn’t confirm you’re not a robot. Please try again.',
  'error.countryNotAllowed':
    'Phone numbers from {country} can’t be used here. Choose another country.',
  'error.templateVariable': 'We couldn’t prepare your message. Please try again later.',
  'error.unavailable.title': 'Verification unavailable',
  'error.unavailable':
    'Verification isn’t available on this site right now. Please try again later.',
  'error.retry': 'Try again',
} as const;

/** A message key. */
export type MessageKey = keyof typeof en;

/** A language catalogue: every key of {@link en}, translated. */
export type Messages = Readonly<Record<MessageKey, string>>;
