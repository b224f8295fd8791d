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
 *   anything. Their bodies are read from Node's request, as otpkit reads its
 *   API bodies (`c.req.json()` would build a WHATWG Request per call, which
 *   otpkit does not pay: the floor would flatter it).
 */
import type { IncomingMessage } from 'node:http';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { request } from 'undici';
import { announce } from './ready.ts';

const receiver = process.env.BENCH_RECEIVER_URL;
let nextRequest = 0;

/** The JSON body, read from Node's request (@hono/node-server passes it as `c.env.incoming`). */
async function body(c: Context): Promise<Record<string, unknown>> {
  const incoming = (c.env as { incoming: IncomingMessage }).incoming;
  const chunks: Buffer[] = [];
  for await (const chunk of incoming as AsyncIterable<Buffer>) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

const app = new Hono();
app.post('/json', async (c) => {
  const parsed = (await c.req.json()) as { identifier?: unknown };
  return c.json({ type: 'success', message: String(parsed.identifier ?? '') });
});

app.post('/floor/send', async (c) => {
  const { identifier } = await body(c);
  const requestId = `floor-${process.pid}-${nextRequest++}`;
  const code = String(100000 + (nextRequest % 900000));
  if (receiver) {
    const text = JSON.stringify({
      requestId,
      to: `+${String(identifier)}`,
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
  const { reqId } = await body(c);
  return c.json({
    type: 'success',
    message: 'OTP verified',
    'access-token': `token-${String(reqId)}`,
  });
});
app.post('/floor/verifyAccessToken', async (c) => {
  await body(c);
  return c.json({ type: 'success', message: 'token verified' });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  announce(`http://127.0.0.1:${info.port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
