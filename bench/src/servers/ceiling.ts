/**
 * The ceiling: a bare Hono JSON route on @hono/node-server, the same stack
 * otpkit runs on. It reads a JSON body and answers a small JSON object, so
 * the numbers say what the HTTP stack alone costs on this machine.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { announce } from './ready.ts';

const app = new Hono();
app.post('/json', async (c) => {
  const body = (await c.req.json()) as { identifier?: unknown };
  return c.json({ type: 'success', message: String(body.identifier ?? '') });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  announce(`http://127.0.0.1:${info.port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
