/**
 * The ceiling and the floor: bare Hono routes on @hono/node-server, the same
 * stack otpkit runs on.
 *
 * - `POST /json` (the ceiling): reads a JSON body and answers a small JSON
 *   object, so the numbers say what the HTTP stack alone costs on this machine.
 * - `POST /floor/send`, `/floor/verify`, `/floor/verifyAccessToken` (the
 *   floor): a complete flow with no work at all. The send answers a request
 *   id and posts the code to the receiver (BENCH_RECEIVER_URL) with undici's
 *   `request`, as otpkit's webhook provider does, after answering (a queued
 *   delivery); the other two read their body and answer. Three bare requests
 *   and one outbound POST: what a flow costs on this stack before otpkit does
 *   anything.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { announce } from './ready.ts';

const receiver = process.env.BENCH_RECEIVER_URL;
let nextRequest = 0;

const app = new Hono();
app.post('/json', async (c) => {
  const body = (await c.req.json()) as { identifier?: unknown };
  return c.json({ type: 'success', message: String(body.identifier ?? '') });
});

app.post('/floor/send', async (c) => {
  const body = (await c.req.json()) as { identifier?: unknown };
  const requestId = `floor-${process.pid}-${nextRequest++}`;
  const code = String(100000 + (nextRequest % 900000));
  if (receiver) {
    const text = JSON.stringify({
      requestId,
      to: `+${String(body.identifier)}`,
      text: `Your code is ${code}`,
    });
    // After the answer, as a delivery worker would: the send does not wait for it.
    setImmediate(() => {
      request(receiver, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: text,
      })
        .then((res) => res.body.dump())
        .catch(() => {});
    });
  }
  return c.json({ type: 'success', message: requestId });
});
app.post('/floor/verify', async (c) => {
  const body = (await c.req.json()) as { reqId?: unknown };
  return c.json({
    type: 'success',
    message: 'OTP verified',
    'access-token': `token-${String(body.reqId)}`,
  });
});
app.post('/floor/verifyAccessToken', async (c) => {
  await c.req.json();
  return c.json({ type: 'success', message: 'token verified' });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  announce(`http://127.0.0.1:${info.port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
