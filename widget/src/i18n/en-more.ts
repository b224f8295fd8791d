/**
 * English beyond the everyday flow (see `en.ts`): what the popup says when
 * the server refuses something, or once a magic link has been sent. Its own
 * chunk (`otp-en-more.js`), fetched in the background when the popup opens,
 * long before a visitor can meet one of these; until then (or if it can't
 * be fetched) the popup says `error.generic`.
 */
export const enMore = {
  'code.tooManyTries': 'Too many wrong codes. Send a new code to try again.',
  'code.expired': 'This code has expired — send a new one.',
  'code.retryLimit': 'You can’t get this code again. Send a new one.',
  'resend.none': 'No more resends are available for this code.',
  'link.sentTo':
    'We sent a sign-in link to {identifier}. Open it on any device and confirm: this page continues by itself.',
  'link.waiting': 'Waiting for you to open the link…',
  'link.match': 'The link’s page will ask for this number:',
  'link.expired': 'This link has expired — send a new one.',
  'link.ended':
    'A wrong number was typed on the link’s page, so it no longer works. Send a new link.',
  'link.resent': 'We sent a new link.',
  'link.newLink': 'Send a new link',
  'error.rateLimited': 'Too many attempts. Try again in {time}.',
  'error.retryTooSoon': 'Please wait {time} before asking for another code.',
  'error.channel': 'That way of sending the code isn’t available. Try another.',
  'error.delivery': 'We couldn’t send the code. Try again, or use another way.',
  'error.alreadyVerified': 'This code was already used. Send a new one.',
  'error.captcha': 'We couldn’t confirm you’re not a robot. Please try again.',
  'error.countryNotAllowed':
    'Phone numbers from {country} can’t be used here. Choose another country.',
  'error.templateVariable': 'We couldn’t prepare your message. Please try again later.',
  'error.unavailable':
    'Verification isn’t available on this site right now. Please try again later.',
} as const;
