#!/usr/bin/env node
// `pnpm start`: runs otpkit (SQLite under ./data), which also serves the widget
// script, and the demo site, then prints where to open them. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'data');
mkdirSync(dataDir, { recursive: true });

// The development authkey is generated once and kept here, so the demo site's
// backend can verify access tokens. (otpkit itself stores only its hash.)
const credentialsFile = join(dataDir, 'dev-credentials.json');
if (!existsSync(credentialsFile)) {
  const authkey = `otpk_${randomBytes(32).toString('base64url')}`;
  writeFileSync(credentialsFile, `${JSON.stringify({ authkey }, null, 2)}\n`, { mode: 0o600 });
}
const { authkey } = JSON.parse(readFileSync(credentialsFile, 'utf8'));

const children = [];
function stopAll(code = 0) {
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 300).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Starts a process, echoes its output with a prefix, resolves with the first match of `ready`. */
function start(name, args, options, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let found = false;
    const onData = (stream) => (chunk) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line) stream.write(`[${name}] ${line}\n`);
      const match = !found && text.match(ready);
      if (match) {
        found = true;
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('exit', (code) => {
      if (!found) reject(new Error(`${name} exited with code ${code} before it was ready`));
      else if (code) {
        console.error(`${name} stopped (exit code ${code})`);
        stopAll(code);
      }
    });
  });
}

try {
  const serverUrl = await start(
    'otpkit',
    // `otpkit serve` runs in production unless asked: this is the local trial, with the outbox.
    [join(root, 'server/bin/otpkit.mjs'), 'serve', '--dev'],
    { cwd: root, env: { ...process.env, OTPKIT_AUTHKEY: process.env.OTPKIT_AUTHKEY ?? authkey } },
    /listening on (http:\/\/\S+)/,
  );
  const demoUrl = await start(
    'demo',
    ['--import', 'tsx', 'src/main.ts'],
    {
      cwd: join(root, 'demo-site'),
      env: {
        ...process.env,
        OTPKIT_URL: serverUrl,
        OTPKIT_AUTHKEY: process.env.OTPKIT_AUTHKEY ?? authkey,
        OTPKIT_DEMO_FILE: join(dataDir, 'demo-widget.json'),
      },
    },
    /Demo site: (http:\/\/\S+)/,
  );
  console.log(`
  ┌──────────────────────────────────────────────────────────────
  │ otpkit is running.
  │
  │   Demo site (log in here):  ${demoUrl}
  │   Codes (dev outbox):       ${serverUrl}/dev/outbox/view
  │   Admin console:            ${serverUrl}/console  (sign in with the authkey below)
  │   otpkit server:            ${serverUrl}
  │   Widget script:            ${serverUrl}/otp-provider.js
  │   Admin API authkey:        ${process.env.OTPKIT_AUTHKEY ?? authkey}
  │
  │ Press Ctrl-C to stop.
  └──────────────────────────────────────────────────────────────
`);
} catch (error) {
  console.error(`\nCould not start: ${error.message}`);
  stopAll(1);
}
