// The login page: the otpkit widget opens its own popup.
// Served as a file so the page runs under a Content-Security-Policy without
// 'unsafe-inline'; the page's configuration comes from a JSON data block.
const configuration = JSON.parse(document.getElementById('demo-config').textContent);
const loginButton = document.getElementById('login');
const result = document.getElementById('result');
function showResult(state, text, code) {
  result.dataset.state = state;
  if (code) result.dataset.code = code;
  else delete result.dataset.code;
  result.textContent = text;
}
async function logIn(accessToken) {
  showResult('pending', 'Checking the access token with our backend…');
  try {
    const response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken }),
    });
    const body = await response.json();
    if (body.ok) showResult('success', `Verified: ${body.identifier}`);
    else showResult('error', `Login failed: ${body.message}`, body.code);
  } catch {
    showResult('error', 'Login failed: the demo backend could not be reached.', 'NETWORK_ERROR');
  }
}
const otpkitLoaded = () => {
  loginButton.disabled = false;
};
const otpkitFailed = () => {
  showResult(
    'error',
    'The otpkit widget could not be loaded. Is the otpkit server running?',
    'NETWORK_ERROR',
  );
};
loginButton.addEventListener('click', () => {
  showResult('', '');
  // Without exposeMethods, initSendOTP opens the widget's popup.
  window.initSendOTP({
    ...configuration,
    success: (data) => logIn(data.message),
    failure: (error) => showResult('error', `Login failed: ${error.message}`, error.code),
  });
});

// otp-provider.js is a deferred script placed before this one: by now it has run, or failed to load.
if (typeof window.initSendOTP === 'function') otpkitLoaded();
else otpkitFailed();
