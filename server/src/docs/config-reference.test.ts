import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { widgetSettingFields } from '../model/widget-settings.ts';
import { checkEnvironment, maskSecret } from '../platform/config/check.ts';
import { ENV_VARIABLES, envSchema, SLICES } from '../platform/config/index.ts';
import { envMeta } from '../platform/config/slice.ts';
import { configurationMarkdown } from './markdown.ts';
import { CONFIGURATION_DOC_PATH } from './paths.ts';

// The CLI cases start a Node process that loads TypeScript: seconds, not milliseconds.
vi.setConfig({ testTimeout: 60_000 });

describe('docs/configuration.md', () => {
  it('is exactly what `pnpm docs:config` generates from the schemas', () => {
    // On failure: run `pnpm docs:config` and commit docs/configuration.md.
    expect(readFileSync(CONFIGURATION_DOC_PATH, 'utf8')).toBe(configurationMarkdown());
  });

  it('has a row for every environment variable and every widget setting', () => {
    const doc = configurationMarkdown();
    for (const name of [...Object.keys(envSchema.shape), ...Object.keys(widgetSettingFields)]) {
      expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    }
  });

  it('lists each variable once, in the section of the slice that declares it, with its metadata', () => {
    const doc = configurationMarkdown();
    const declared = SLICES.flatMap((slice) => Object.keys(slice.env));
    expect(Object.keys(envSchema.shape).sort()).toEqual([...declared].sort());
    expect(new Set(declared).size).toBe(declared.length);
    const sections = doc.split(/^### /m).slice(1);
    expect(sections.map((s) => s.slice(0, s.indexOf('\n')))).toEqual(SLICES.map((s) => s.title));
    for (const [name, schema] of Object.entries(envSchema.shape)) {
      const meta = envMeta.get(schema);
      expect(meta?.description, name).toMatch(/\S/);
      const slice = SLICES.find((s) => name in s.env)!;
      const rows = sections.flatMap((section, i) =>
        section
          .split('\n')
          .filter((line) => line.startsWith(`| \`${name}\` |`))
          .map(() => i),
      );
      expect(rows, name).toEqual([SLICES.indexOf(slice)]);
    }
    expect(ENV_VARIABLES.map((v) => v.name)).toEqual(declared);
  });

  it("states each variable's production demands and secrecy from its metadata", () => {
    const doc = configurationMarkdown();
    const row = (name: string) => doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`))!;
    for (const { name, meta } of ENV_VARIABLES) {
      expect(row(name).includes('*Secret: masked by'), name).toBe(meta.secret === true);
      expect(row(name).includes('Required in production'), name).toBe(
        meta.production?.required === true,
      );
      expect(row(name).includes('at least 128 bits of entropy'), name).toBe(
        meta.production?.strong === true,
      );
    }
  });

  it('shows examples the schemas accept', () => {
    const examples = ENV_VARIABLES.filter((v) => v.meta.example !== undefined);
    expect(examples.length).toBeGreaterThanOrEqual(20);
    const doc = configurationMarkdown();
    for (const { name, schema, meta } of examples) {
      expect(schema.safeParse(meta.example).success, name).toBe(true);
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toContain(`Example: \`${meta.example}\`.`);
    }
  });

  it('reads defaults and ranges from the schemas', () => {
    const doc = configurationMarkdown();
    expect(doc).toContain('| `PORT` | `8787` | 0–65535 |');
    expect(doc).toContain('| `OTPKIT_LIMIT_IP` | `30/3600` | POINTS/SECONDS, e.g. 30/3600 |');
    expect(doc).toContain('| `otpLength` | `6` | 4–9 |');
    expect(doc).toContain('| `language` | `auto` | `auto`, `en`, `hi`, `bn`,');
  });
});

describe('checkEnvironment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-config-'));
  const db = `sqlite:${join(dir, 'otpkit.db')}`;

  it('names every problem at once, not only the first', () => {
    const report = checkEnvironment({
      NODE_ENV: 'production',
      PORT: '99999',
      OTPKIT_SMTP_URL: 'smtp://u:p@mail.example:25',
      DATABASE_URL: db,
    });
    expect(report.problems.map((p) => p.variable)).toEqual([
      'PORT',
      'OTPKIT_PUBLIC_URL',
      'OTPKIT_SECRET',
      'OTPKIT_METRICS_TOKEN',
      'OTPKIT_EMAIL_FROM',
    ]);
  });

  it('refuses a production set-up that cannot deliver, and a database it cannot create', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const report = checkEnvironment({
      NODE_ENV: 'production',
      OTPKIT_PUBLIC_URL: 'https://otp.example.com',
      OTPKIT_SECRET: randomBytes(32).toString('base64'),
      OTPKIT_METRICS_TOKEN: randomBytes(32).toString('base64'),
      DATABASE_URL: `sqlite:${join(locked, 'sub', 'otpkit.db')}`,
    });
    const byName = Object.fromEntries(report.problems.map((p) => [p.variable, p.message]));
    // root ignores folder permissions: only assert the writable check where it can fail.
    if (process.getuid?.() !== 0) expect(byName.DATABASE_URL).toMatch(/not a writable folder/);
    expect(byName.OTPKIT_SMTP_URL).toMatch(/no delivery provider/);
  });

  it('counts a gateway alone as a delivery provider in production', () => {
    const report = checkEnvironment({
      NODE_ENV: 'production',
      OTPKIT_PUBLIC_URL: 'https://otp.example.com',
      OTPKIT_SECRET: randomBytes(32).toString('base64'),
      OTPKIT_METRICS_TOKEN: randomBytes(32).toString('base64'),
      DATABASE_URL: db,
      OTPKIT_SES_REGION: 'eu-west-1',
      OTPKIT_SES_FROM: 'Acme <no-reply@acme.example>',
    });
    expect(report.problems).toEqual([]);
  });

  it('masks secrets, keeping a URL readable', () => {
    expect(maskSecret('s3cr3t-s3cr3t-s3cr3t')).toBe('********');
    expect(maskSecret('smtp://user:hunter2@mail.example:587')).toBe(
      'smtp://user:********@mail.example:587',
    );
    const report = checkEnvironment({
      NODE_ENV: 'development',
      DATABASE_URL: db,
      OTPKIT_SECRET: 'y'.repeat(40),
      REDIS_URL: 'redis://:pw123456@127.0.0.1:6379',
    });
    expect(report.problems).toEqual([]);
    expect(report.effective.map((e) => e.name)).toEqual(ENV_VARIABLES.map((v) => v.name));
    const values = Object.fromEntries(report.effective.map((e) => [e.name, e.value]));
    expect(values.OTPKIT_SECRET).toBe('********');
    expect(values.REDIS_URL).toBe('redis://:********@127.0.0.1:6379');
    expect(values.PORT).toBe('8787');
  });
});

describe('otpkit config check', () => {
  const run = promisify(execFile);
  const bin = new URL('../../bin/otpkit.mjs', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-config-cli-'));
  const base = { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${join(dir, 'o.db')}` };

  it('exits 0 and prints the effective configuration with secrets masked', async () => {
    const secret = 'z'.repeat(48);
    const { stdout } = await run(process.execPath, [bin, 'config', 'check', '--dev'], {
      env: { ...base, OTPKIT_SECRET: secret, PORT: '9000' },
    });
    expect(stdout).toMatch(/NODE_ENV\s+development\n/);
    expect(stdout).toMatch(/Configuration is valid/);
    expect(stdout).toMatch(/PORT\s+9000\n/);
    expect(stdout).toMatch(/OTPKIT_SECRET\s+\*{8}/);
    expect(stdout).not.toContain(secret);
  });

  it('exits 1 naming each bad variable, reading --env-file over the environment', async () => {
    const file = join(dir, 'prod.env');
    writeFileSync(file, 'NODE_ENV=production\nOTPKIT_LIMIT_IP=lots\n');
    const error = await run(process.execPath, [bin, 'config', 'check', '--env-file', file], {
      env: { ...base, NODE_ENV: 'development' },
    }).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: { code: number; stderr: string }) => e,
    );
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/OTPKIT_LIMIT_IP: must be POINTS\/SECONDS/);
    expect(error.stderr).toMatch(/OTPKIT_SECRET: required in production/);
  });

  it('says so when the env file cannot be read', async () => {
    const error = await run(
      process.execPath,
      [bin, 'config', 'check', '--env-file', join(dir, 'missing.env')],
      { env: base },
    ).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: { code: number; stderr: string }) => e,
    );
    // Node 20 itself reads `--env-file` even after the script and stops first with "not found".
    expect(error.code).not.toBe(0);
    expect(error.stderr).toContain('missing.env');
  });
});
