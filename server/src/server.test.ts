import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './server.ts';

const dir = mkdtempSync(join(tmpdir(), 'otpkit-server-'));
const widgetFile = join(dir, 'otp-provider.js');
writeFileSync(widgetFile, 'window.initSendOTP=function(){}');
const env = {
  NODE_ENV: 'development',
  PORT: '0',
  DATABASE_URL: `sqlite:${join(dir, 'otpkit.db')}`,
  OTPKIT_WIDGET_FILE: widgetFile,
};
const running: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const s of running) await s.close();
});

describe('startServer', () => {
  it('bootstraps a first start: secret, authkey shown once, signing key, demo widget file', async () => {
    const server = await startServer({ env });
    running.push(server);
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(server.config.publicUrl).toBe(server.url);
    expect(server.report.newAuthkey).toMatch(/^otpk_/);
    const demo = JSON.parse(readFileSync(join(dir, 'demo-widget.json'), 'utf8'));
    expect(demo).toEqual({
      widgetId: server.report.demo?.widgetId,
      tokenAuth: server.report.demo?.tokenAuth,
    });

    const res = await fetch(
      `${server.url}/api/v5/widget/getWidgetProcess?widgetId=${demo.widgetId}&tokenAuth=${demo.tokenAuth}`,
    );
    expect(((await res.json()) as { data: { name: string } }).data.name).toBe('otpkit demo');
    const authkeyWorks = await fetch(`${server.url}/api/v1/widgets`, {
      headers: { authkey: server.report.newAuthkey! },
    });
    expect(authkeyWorks.status).toBe(200);

    const script = await fetch(`${server.url}/otp-provider.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    expect(await script.text()).toContain('initSendOTP');
    const cached = await fetch(`${server.url}/otp-provider.js`, {
      headers: { 'if-none-match': script.headers.get('etag')! },
    });
    expect(cached.status).toBe(304);
    await server.close();
    running.pop();

    // A second start keeps the authkey, the secret and the demo widget, and shows no key.
    const again = await startServer({ env });
    running.push(again);
    expect(again.report.newAuthkey).toBeUndefined();
    expect(again.report.demo).toMatchObject({ widgetId: demo.widgetId, created: false });
    expect(
      (
        await fetch(`${again.url}/api/v1/widgets`, {
          headers: { authkey: server.report.newAuthkey! },
        })
      ).status,
    ).toBe(200);
  });

  it('takes OTPKIT_AUTHKEY as the first authkey', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'otpkit-server-'));
    const server = await startServer({
      env: {
        ...env,
        DATABASE_URL: `sqlite:${join(fresh, 'db.sqlite')}`,
        OTPKIT_AUTHKEY: 'otpk_chosen_by_the_operator_1234',
      },
    });
    running.push(server);
    expect(server.report.newAuthkey).toBeUndefined();
    const res = await fetch(`${server.url}/api/v1/widgets`, {
      headers: { authkey: 'otpk_chosen_by_the_operator_1234' },
    });
    expect(res.status).toBe(200);
  });
});
