import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../platform/runtime.ts';
import { type RunningServer, startServer } from '../../server.ts';

const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
const log: Logger = {
  debug() {},
  info: (message, fields) => lines.push({ level: 'info', message, ...(fields && { fields }) }),
  warn: (message, fields) => lines.push({ level: 'warn', message, ...(fields && { fields }) }),
  error: (message, fields) => lines.push({ level: 'error', message, ...(fields && { fields }) }),
};

let server: RunningServer;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-hang-up-'));
  const widgetFile = join(dir, 'otp-provider.js');
  writeFileSync(widgetFile, '');
  server = await startServer({
    env: {
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_URL: 'sqlite::memory:',
      OTPKIT_WIDGET_FILE: widgetFile,
    },
    log,
  });
});
afterAll(() => server.close());

/** Sends a request's head and the start of its body, then hangs up. */
async function hangUpMidBody(raw: string): Promise<void> {
  const port = Number(new URL(server.url).port);
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(raw, () => setTimeout(() => socket.destroy(), 100));
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  // The server notices the closed socket on its next turn.
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('a client that hangs up mid-body', () => {
  it.each([
    ['with a Content-Length', 'Content-Length: 500\r\n\r\n{"widgetId":"ab'],
    ['chunked', 'Transfer-Encoding: chunked\r\n\r\n5\r\n{"wid\r\n'],
  ])('is logged at info and counted as 499, not as a server error (%s)', async (_, rest) => {
    lines.length = 0;
    await hangUpMidBody(
      `POST /api/v5/widget/sendOtpMobile HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${rest}`,
    );
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(lines.map((l) => l.message)).toContain('client closed the request');
    const metrics = await server.services.metrics.render();
    expect(metrics).not.toMatch(/otpkit_http_requests_total\{[^}]*status="5\d\d"/);
    expect(metrics).toMatch(/otpkit_http_requests_total\{[^}]*status="499"\} [1-9]/);
  });
});
