import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../bin/otpkit.mjs', import.meta.url).pathname;
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-cli-')), 'otpkit.db')}`,
};
const otpkit = (...args: string[]) => run(process.execPath, [bin, ...args], { env });

describe('otpkit CLI', () => {
  it('creates a widget and another token, printing JSON', async () => {
    const created = JSON.parse(
      (
        await otpkit(
          'widget',
          'create',
          '--name',
          'CLI shop',
          '--settings',
          '{"otpLength":4,"contactPoints":["email"]}',
        )
      ).stdout,
    );
    expect(created).toMatchObject({ name: 'CLI shop', otpLength: 4, contactPoints: ['email'] });
    expect(created.widgetId).toMatch(/^[0-9a-f]{24}$/);
    const token = JSON.parse(
      (await otpkit('token', 'create', '--widget', created.widgetId)).stdout,
    );
    expect(token).toEqual({ widgetId: created.widgetId, tokenAuth: expect.any(String) });
    expect(token.tokenAuth).not.toBe(created.tokenAuth);
  });

  it('explains bad input with a non-zero exit', async () => {
    const bad = await otpkit(
      'widget',
      'create',
      '--name',
      'x',
      '--settings',
      '{"otpLength":99}',
    ).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('otpLength must be 4 to 9');
    const missing = await otpkit('token', 'create', '--widget', 'ffffffffffffffffffffffff').catch(
      (e) => e,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('The widget does not exist');
    const usage = await otpkit('frobnicate').catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage:');
  });
});
