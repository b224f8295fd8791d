// The custom form page: the site's own form drives the widget (exposeMethods).
// Served as a file so the page runs under a Content-Security-Policy without
// 'unsafe-inline'; shared.js (loaded first) reads the configuration.
const sendForm = document.getElementById('send-form');
const verifyForm = document.getElementById('verify-form');
const identifierInput = document.getElementById('identifier');
const otpInput = document.getElementById('otp');
const sendButton = document.getElementById('send');
const statusElement = document.getElementById('status');
const passkeySignInRow = document.getElementById('passkey-signin-row');
const passkeyOffer = document.getElementById('passkey-offer');
// Passkeys are offered where the device itself can keep one (Touch ID, Windows Hello…).
const platformPasskeys =
  window.PublicKeyCredential?.isUserVerifyingPlatformAuthenticatorAvailable?.().catch(
    () => false,
  ) ?? Promise.resolve(false);
let reqId;
let loggedInWith;

function showStatus(state, text, code) {
  statusElement.dataset.state = state;
  if (code) statusElement.dataset.code = code;
  else delete statusElement.dataset.code;
  statusElement.textContent = text;
}
function widgetReady() {
  if (typeof window.sendOtp === 'function') return true;
  showStatus('error', 'The otpkit widget is still loading. Try again in a moment.');
  return false;
}
// What the visitor typed in `input`, trimmed; null (and why, on the page) when
// it is empty or the widget cannot take it yet.
function typed(input, missing) {
  const value = input.value.trim();
  if (!value) {
    showStatus('error', missing);
    input.focus();
    return null;
  }
  return widgetReady() ? value : null;
}
function onVerified(data) {
  const token = data?.message;
  // The configuration's success may fire too: log in once per token, and only with a JWT.
  if (typeof token !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return;
  if (token === loggedInWith) return;
  loggedInWith = token;
  showStatus('success', data.amr ? 'Signed in with your passkey.' : 'Code verified.');
  // A widget with passkeys gives a verified code a ticket: offer a passkey for next time.
  platformPasskeys.then((available) => {
    passkeyOffer.hidden = !(available && data.passkeyTicket);
  });
  logIn(token);
}
function onFailure(error) {
  showStatus('error', error.message, error.code);
}

const otpkitLoaded = () => {
  window.initSendOTP({
    ...configuration,
    exposeMethods: true,
    success: onVerified,
    failure: onFailure,
  });
  sendButton.disabled = false;
  // Once the widget data is in: a widget with passkeys (and a browser with WebAuthn) offers them.
  const showPasskeys = () => {
    const data = window.getWidgetData?.();
    if (!data) return setTimeout(showPasskeys, 100);
    platformPasskeys.then((available) => {
      passkeySignInRow.hidden = !(available && data.passkeys);
    });
  };
  showPasskeys();
};
const otpkitFailed = () => {
  showStatus(
    'error',
    'The otpkit widget could not be loaded. Is the otpkit server running?',
    'NETWORK_ERROR',
  );
};

sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const identifier = typed(
    identifierInput,
    'Enter a phone number with its country code, or an email address.',
  );
  if (!identifier) return;
  sendButton.disabled = true;
  showResult('', '');
  showStatus('pending', 'Sending a code…');
  window.sendOtp(
    identifier,
    (data) => {
      reqId = data.message;
      sendButton.disabled = false;
      verifyForm.hidden = false;
      showStatus('success', `We sent a code to ${identifier}.`);
      otpInput.focus();
    },
    (error) => {
      sendButton.disabled = false;
      onFailure(error);
    },
  );
});

verifyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const otp = typed(otpInput, 'Enter the code you received.');
  if (!otp) return;
  showStatus('pending', 'Checking the code…');
  window.verifyOtp(otp, onVerified, onFailure, reqId);
});

document.getElementById('resend').addEventListener('click', () => {
  if (!widgetReady()) return;
  showStatus('pending', 'Sending a new code…');
  // null: the widget's default retry channel.
  window.retryOtp(
    null,
    (data) => {
      if (data?.message) reqId = data.message;
      showStatus('success', 'We sent a new code.');
    },
    onFailure,
    reqId,
  );
});

document.getElementById('passkey-create').addEventListener('click', () => {
  showStatus('pending', 'Creating a passkey…');
  window.registerPasskey(() => {
    passkeyOffer.hidden = true;
    showStatus('success', 'Passkey created: next time, sign in with it.');
  }, onFailure);
});

document.getElementById('passkey-signin').addEventListener('click', () => {
  if (!widgetReady()) return;
  showResult('', '');
  showStatus('pending', 'Waiting for your passkey…');
  window.signInWithPasskey(undefined, onVerified, onFailure);
});

// otp-provider.js is a deferred script placed before this one: by now it has run, or failed to load.
if (typeof window.initSendOTP === 'function') otpkitLoaded();
else otpkitFailed();
