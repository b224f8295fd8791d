/**
 * `/dev/outbox`: the development outbox, where codes land when no real
 * provider is configured. Mounted only outside production, and it answers
 * only this machine (loopback), as `/metrics` does without a token: it
 * holds every code sent.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { OtpkitError } from '../../platform/errors.ts';
import type { OutboxMessage } from '../../store/index.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { isLoopbackClient } from '../http/context.ts';

function normaliseRecipient(to: string | undefined): string | undefined {
  if (!to) return undefined;
  const value = to.trim().toLowerCase();
  return value.includes('@') ? value : value.replace(/[^\d]/g, '');
}

function view(m: OutboxMessage) {
  return {
    to: m.to,
    channel: m.channel,
    subject: m.subject ?? undefined,
    text: m.text,
    requestId: m.requestId,
    createdAt: new Date(m.createdAt).toISOString(),
  };
}

/** The outbox as JSON (`GET /dev/outbox`) and as a page (`GET /dev/outbox/view`). */
export function devOutboxRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    if (!isLoopbackClient(c, services.config)) {
      // As if it were off: whoever is not on this machine has no outbox to find.
      throw new OtpkitError(
        'NOT_FOUND',
        'The development outbox answers only this machine (a loopback address).',
      );
    }
    await next();
  });
  const list = (to: string | undefined, limit: string | undefined) =>
    services.store.outbox.list({
      to: normaliseRecipient(to),
      limit: Math.min(Math.max(Number(limit) || 50, 1), 500),
    });

  app.get('/', async (c) =>
    c.json((await list(c.req.query('to'), c.req.query('limit'))).map(view)),
  );

  app.get('/view', async (c) => {
    const to = c.req.query('to');
    const messages = await list(to, c.req.query('limit'));
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'",
    );
    c.header('Cache-Control', 'no-store');
    return c.html(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="3">
<title>otpkit · development outbox</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 56rem; margin: 2rem auto; padding: 0 1rem; }
  form { display: flex; gap: .5rem; margin: 1rem 0; }
  input { flex: 1; padding: .4rem; font: inherit; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #8884; vertical-align: top; }
  td.text { white-space: pre-wrap; font-family: ui-monospace, monospace; }
  .muted { color: #666; }
  @media (prefers-color-scheme: dark) { .muted { color: #aaa; } }
</style>
</head>
<body>
<h1>Development outbox</h1>
<p class="muted">Messages otpkit would have sent. This page refreshes every 3 seconds. It is off in production.</p>
<form method="get">
  <label for="to">Recipient</label>
  <input id="to" name="to" value="${to ?? ''}" placeholder="919876543210 or name@example.com">
  <button type="submit">Filter</button>
</form>
${
  messages.length === 0
    ? html`<p>No messages yet.</p>`
    : html`<table>
  <thead><tr><th scope="col">Time</th><th scope="col">To</th><th scope="col">Channel</th><th scope="col">Message</th></tr></thead>
  <tbody>
  ${messages.map(
    (m) => html`<tr>
    <td>${new Date(m.createdAt).toISOString().replace('T', ' ').slice(0, 19)}</td>
    <td>${m.to}</td>
    <td>${m.channel}</td>
    <td class="text">${m.subject ? `${m.subject}\n\n` : ''}${m.text}</td>
  </tr>`,
  )}
  </tbody>
</table>`
}
</body>
</html>`);
  });
  return app;
}
