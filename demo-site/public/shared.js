// What both demo pages share: the configuration, showing the result, and
// handing the access token to this site's backend (which checks it with the SDK).
// Classic scripts share one global scope, so the page scripts use these names.
const configuration = JSON.parse(document.getElementById('demo-config').textContent);
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
