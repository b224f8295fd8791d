// The login page: the otpkit widget opens its own popup.
// Served as a file so the page runs under a Content-Security-Policy without
// 'unsafe-inline'; shared.js (loaded first) reads the configuration.
const loginButton = document.getElementById('login');
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
