import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { isHashedName } from './static-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'otpkit-static-'));
const widgetDir = join(dir, 'widget');
const consoleDir = join(dir, 'console');
mkdirSync(widgetDir);
mkdirSync(join(consoleDir, 'assets'), { recursive: true });
const providerSource = 'window.initSendOTP=function(){}'.repeat(20);
writeFileSync(join(widgetDir, 'otp-provider.js'), providerSource);
writeFileSync(join(widgetDir, 'otp-provider.js.br'), brotliCompressSync(providerSource));
writeFileSync(join(widgetDir, 'otp-provider.js.gz'), gzipSync(providerSource));
writeFileSync(join(widgetDir, 'otp-popup.js'), 'export const popup=1');
writeFileSync(join(widgetDir, 'otp-popup-DOnAhpCE.js'), 'export const popup=2');
writeFileSync(join(widgetDir, 'otp-popup-DOnAhpCE.js.gz'), gzipSync('export const popup=2'));
writeFileSync(
  join(widgetDir, 'otp-entries.json'),
  JSON.stringify({ popup: 'otp-popup-DOnAhpCE.js' }),
);
writeFileSync(join(dir, 'secret.js'), 'SECRET');
writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>otpkit console</title>');
writeFileSync(join(consoleDir, 'assets', 'app-1234.js'), 'console.log(1)');
writeFileSync(join(consoleDir, 'assets', 'index-BScRAKkO.js'), 'console.log(2)');
writeFileSync(
  join(consoleDir, 'assets', 'index-BScRAKkO.js.br'),
  brotliCompressSync('console.log(2)'),
);

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

  it('sends the precompressed file the browser accepts, varying on Accept-Encoding', async () => {
    const plain = await h.app.request('/otp-provider.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    const br = await h.app.request('/otp-provider.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(Number(br.headers.get('content-length'))).toBeLessThan(providerSource.length);
    const gzip = await h.app.request('/otp-provider.js', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(providerSource);
    // One ETag per representation: a cache never answers a gzip request with brotli.
    expect(gzip.headers.get('etag')).not.toBe(br.headers.get('etag'));
    const chunk = await h.app.request('/app/assets/otp-provider/otp-popup-DOnAhpCE.js', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(chunk.headers.get('content-encoding')).toBe('gzip');
    expect(chunk.headers.get('vary')).toBe('Accept-Encoding');
  });

  it("sends a page running the previous build's script to this build's entry chunk", async () => {
    for (const path of [
      '/otp-popup-0ldBu1ld.js',
      '/app/assets/otp-provider/otp-popup-0ldBu1ld.js',
    ]) {
      const old = await h.app.request(path);
      expect(old.status).toBe(302);
      expect(old.headers.get('location')).toBe('otp-popup-DOnAhpCE.js'); // Beside the request.
      expect(old.headers.get('cache-control')).toBe('no-cache');
      expect(old.headers.get('access-control-allow-origin')).toBe('*');
    }
    // Only entries (their exports stay); an old inner chunk, or a name of no entry, is missing.
    expect((await h.app.request('/otp-phone-0ldBu1ld.js')).status).toBe(404);
    expect((await h.app.request('/otp-nothing-0ldBu1ld.js')).status).toBe(404);
  });

  it('tells content-hashed names from others', () => {
    for (const hashed of [
      'otp-popup-DOnAhpCE.js',
      'otp-en-more-BtF_Q0ZH.js',
      'assets/index-DyFmLqRz.css',
    ]) {
      expect(isHashedName(hashed)).toBe(true);
    }
    for (const plain of ['otp-provider.js', 'otp-popup.js', 'otp-CountryPicker.js', 'index.html']) {
      expect(isHashedName(plain)).toBe(false);
    }
  });

  it('caches hashed chunks for a year; the entry script briefly, revalidated by ETag', async () => {
    const chunk = await h.app.request('/otp-popup-DOnAhpCE.js');
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
    // The headers a script uses, not the document-level ones (bytes on every page load).
    expect(chunk.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(chunk.headers.get('x-content-type-options')).toBe('nosniff');
    expect(chunk.headers.get('x-frame-options')).toBeNull();
    expect(chunk.headers.get('strict-transport-security')).toBeNull();
    // An unhashed file (an older build's) is not immutable.
    expect((await h.app.request('/otp-popup.js')).headers.get('cache-control')).toBe(
      'public, max-age=300',
    );
    const entry = await h.app.request('/otp-provider.js', { headers: { 'accept-encoding': 'br' } });
    expect(entry.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=86400',
    );
    const tag = entry.headers.get('etag');
    expect(tag).toMatch(/^"[0-9a-f]+"$/);
    const again = await h.app.request('/otp-provider.js', {
      headers: { 'accept-encoding': 'br', 'if-none-match': tag! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const changed = await h.app.request('/otp-provider.js', {
      headers: { 'accept-encoding': 'br', 'if-none-match': '"stale"' },
    });
    expect(changed.status).toBe(200);
  });

  it('serves the console with a single-page fallback and never leaves its folder', async () => {
    const home = await h.app.request('/console');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('otpkit console');
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const deep = await h.app.request('/console/widgets/abc');
    expect(await deep.text()).toContain('otpkit console');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const revalidated = await h.app.request('/console/', {
      headers: { 'if-none-match': home.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(304);
    const asset = await h.app.request('/console/assets/index-BScRAKkO.js', {
      headers: { 'accept-encoding': 'br' },
    });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('vary')).toBe('Accept-Encoding');
    expect(asset.headers.get('x-frame-options')).toBe('DENY');
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
