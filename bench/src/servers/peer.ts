/**
 * The peer: better-auth's email-OTP sign-in on SQLite (better-sqlite3, the
 * same WAL pragmas as otpkit), on Hono and @hono/node-server like otpkit.
 * Its rate limiter is off, and each code is captured in memory and pushed
 * to the load generator's receiver (BENCH_RECEIVER_URL), as otpkit's
 * webhook provider pushes its codes there.
 *
 * The SQLite driver is chosen as otpkit's is (server/src/store/sqlite/driver.ts):
 * better-sqlite3 13 (Node-API, prebuilt) on Node 22 and later, 12 (the
 * `better-sqlite3-node20` alias) on Node 20. 12 must not run on Node 24: a
 * statement collected outside a Node environment aborts the process there.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { emailOTP } from 'better-auth/plugins';
import type BetterSqlite3 from 'better-sqlite3';
import { Hono } from 'hono';
import { announce } from './ready.ts';

const nodeMajor = Number.parseInt(process.versions.node.split('.')[0] ?? '', 10);
const Database = createRequire(import.meta.url)(
  nodeMajor >= 22 ? 'better-sqlite3' : 'better-sqlite3-node20',
) as typeof BetterSqlite3;

const receiver = process.env.BENCH_RECEIVER_URL;
const dir = mkdtempSync(join(tmpdir(), 'otpkit-bench-peer-'));
const db = new Database(join(dir, 'peer.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');

/** The latest code per email, as a test harness keeps it. */
const codes = new Map<string, string>();

let handler: ((request: Request) => Promise<Response>) | undefined;
const app = new Hono();
app.on(['GET', 'POST'], '/api/auth/*', (c) =>
  handler ? handler(c.req.raw) : new Response(null, { status: 503 }),
);

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, async (info) => {
  const baseURL = `http://127.0.0.1:${info.port}`;
  const auth = betterAuth({
    baseURL,
    secret: 'bench-only-secret-bench-only-secret-0123456789',
    database: db,
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [
      emailOTP({
        async sendVerificationOTP({ email, otp }) {
          codes.set(email, otp);
          if (codes.size > 10_000) codes.clear();
          if (!receiver) return;
          // Fire and forget, as a queued delivery: the sign-in does not wait for it.
          void fetch(receiver, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ to: email, text: `Your code is ${otp}` }),
          }).catch(() => {});
        },
      }),
    ],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  handler = auth.handler;
  announce(baseURL);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
