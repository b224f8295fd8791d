import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'otpkit-static-'));
const widgetDir = join(dir, 'widget');
const consoleDir = join(dir, 'console');
mkdirSync(widgetDir);
mkdirSync(join(consoleDir, 'assets'), { recursive: true });
writeFileSync(join(widgetDir, 'otp-provider.js'), 'window.initSendOTP=function(){}');
writeFileSync(join(widgetDir, 'otp-popup.js'), 'export const popup=1');
writeFileSync(join(dir, 'secret.js'), 'SECRET');
writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>otpkit console</title>');
writeFileSync(join(consoleDir, 'assets', 'app-1234.js'), 'console.log(1)');

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    env: { OTPKIT_WIDGET_FILE: join(widgetDir, 'otp-provider.js'), OTPKIT_CONSOLE_DIR: consoleDir },
  });
});
afterAll(() => h.close());

describe('static files', () => {
  it('serves the widget script and its chunks, cross-origin, with ETags', async () => {
    const entry = await h.app.request('/otp-provider.js');
    expect(entry.headers.get('content-type')).toContain('text/javascript');
    expect(entry.headers.get('access-control-allow-origin')).toBe('*');
    expect(await entry.text()).toContain('initSendOTP');
    const chunk = await h.app.request('/otp-popup.js');
    expect(await chunk.text()).toContain('popup');
    const again = await h.app.request('/otp-popup.js', {
      headers: { 'if-none-match': chunk.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await h.app.request('/missing.js')).status).toBe(404);
    // SendOTP's script path serves the same files, so a migrating page changes only the host.
    const sendOtpPath = await h.app.request('/app/assets/otp-provider/otp-provider.js');
    expect(await sendOtpPath.text()).toContain('initSendOTP');
    expect(await (await h.app.request('/app/assets/otp-provider/otp-popup.js')).text()).toContain(
      'popup',
    );
    expect((await h.app.request('/app/assets/otp-provider/..%2F..%2Fsecret.js')).status).toBe(404);
    expect((await h.app.request('/..%2Fsecret.js')).status).toBe(404);
  });

  it('serves the console with a single-page fallback and never leaves its folder', async () => {
    const home = await h.app.request('/console');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('otpkit console');
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const deep = await h.app.request('/console/widgets/abc');
    expect(await deep.text()).toContain('otpkit console');
    const asset = await h.app.request('/console/assets/app-1234.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const outside = await h.app.request('/console/..%2F..%2Fsecret.js');
    expect(await outside.text()).not.toContain('SECRET');
  });

  it('tells the console what it runs against', async () => {
    const meta = await h.get('/api/v1/meta');
    expect(meta.body).toEqual({
      env: 'test',
      devOutbox: true,
      allowAnyOrigin: true,
      publicUrl: 'http://otpkit.test',
      version: '0.1.0',
    });
  });
});
