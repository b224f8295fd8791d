import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

// Each command starts a Node process (loading TypeScript when the bundle is stale): seconds
// each, a dozen of them per test, on a 2-core machine that may be running other suites.
vi.setConfig({ testTimeout: 180_000 });

const run = promisify(execFile);
const bin = new URL('../bin/otpkit.mjs', import.meta.url).pathname;
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-cli-')), 'otpkit.db')}`,
};
const otpkit = async (...args: string[]) =>
  JSON.parse((await run(process.execPath, [bin, ...args], { env })).stdout);
const fails = (...args: string[]) =>
  run(process.execPath, [bin, ...args], { env }).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: { code: number; stderr: string }) => error,
  );

describe('otpkit CLI', () => {
  it('manages widgets, tokens, templates and authkeys, printing JSON', async () => {
    const created = await otpkit(
      'widget',
      'create',
      '--name',
      'CLI shop',
      '--settings',
      '{"otpLength":4,"contactPoints":["email"]}',
    );
    expect(created).toMatchObject({
      name: 'CLI shop',
      otpLength: 4,
      contactPoints: ['email'],
      tokenAuth: expect.any(String),
    });
    expect(created.widgetId).toMatch(/^[0-9a-f]{24}$/);

    const updated = await otpkit(
      'widget',
      'update',
      created.widgetId,
      '--settings',
      '{"language":"hi"}',
    );
    expect(updated).toMatchObject({ language: 'hi', otpLength: 4 });
    expect((await otpkit('widget', 'list')).widgets.map((w: { name: string }) => w.name)).toContain(
      'CLI shop',
    );

    const token = await otpkit('token', 'create', '--widget', created.widgetId, '--label', 'iOS');
    expect(token).toMatchObject({
      tokenId: expect.any(String),
      tokenAuth: expect.any(String),
      label: 'iOS',
    });
    expect(token.tokenAuth).not.toBe(created.tokenAuth);
    await run(
      process.execPath,
      [bin, 'token', 'revoke', '--widget', created.widgetId, '--token', token.tokenId],
      { env },
    );
    expect((await otpkit('token', 'list', '--widget', created.widgetId)).tokens).toHaveLength(1);

    const template = await otpkit(
      'template',
      'create',
      '--settings',
      JSON.stringify({
        name: 'Mail',
        channel: 'email',
        subject: 'Hi ##name##',
        body: '<p>##OTP##</p>',
        widgetId: created.widgetId,
      }),
    );
    const preview = await otpkit(
      'template',
      'preview',
      template.templateId,
      '--variables',
      '{"name":"Ana"}',
    );
    expect(preview).toMatchObject({ subject: 'Hi Ana', html: '<p>482913</p>' });

    const key = await otpkit('authkey', 'create', '--label', 'deploy');
    expect(key.authkey).toMatch(/^otpk_/);
    const keys = (await otpkit('authkey', 'list')).authkeys;
    expect(keys.map((k: { label: string }) => k.label)).toEqual(['First start', 'deploy']);
    expect(JSON.stringify(keys)).not.toContain(key.authkey);
  });

  it('explains bad input with a non-zero exit', async () => {
    const bad = await fails('widget', 'create', '--name', 'x', '--settings', '{"otpLength":99}');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('otpLength must be 4 to 9');
    const missing = await fails('token', 'create', '--widget', 'ffffffffffffffffffffffff');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('The widget does not exist');
    const usage = await fails('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage:');
    const noName = await fails('widget', 'create');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('--name is required');
    const badJson = await fails('widget', 'update', 'x', '--settings', 'nope');
    expect(badJson.stderr).toContain('--settings must be a JSON object');
  });
});
