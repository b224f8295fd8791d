/**
 * The bundled server (`pnpm build` → server/dist/main.mjs): it runs the same
 * CLI from plain JavaScript, finds its migrations and assets beside the
 * sources, and `bin/otpkit.mjs` never runs a bundle older than the sources.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the bin, without type declarations
import { chooseEntry } from '../../bin/entry.mjs';

const serverDir = fileURLToPath(new URL('../../', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'otpkit-bundle-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(temp, { recursive: true, force: true });
  rmSync(join(serverDir, '.tmp', `bundle-test-${process.pid}`), { recursive: true, force: true });
});

describe('chooseEntry', () => {
  const server = join(temp, 'layout', 'server');
  mkdirSync(join(server, 'src', 'core', 'otp'), { recursive: true });
  mkdirSync(join(server, 'dist'), { recursive: true });
  mkdirSync(join(server, '..', 'protocol', 'src'), { recursive: true });
  const file = (path: string, seconds: number) => {
    writeFileSync(join(server, path), '');
    utimesSync(join(server, path), seconds, seconds);
  };

  it('runs the sources when there is no bundle', () => {
    file('src/main.ts', 1000);
    expect(chooseEntry(server, {})).toBe('source');
  });

  it('runs the bundle when it is newer than every source file', () => {
    file('src/core/otp/service.ts', 1000);
    file('../protocol/src/index.ts', 1000);
    file('dist/main.mjs', 2000);
    expect(chooseEntry(server, {})).toBe('bundle');
    expect(chooseEntry(server, { OTPKIT_FROM_SOURCE: '1' })).toBe('source');
  });

  it('never runs a stale bundle (a server or protocol file changed since the build)', () => {
    file('src/core/otp/service.ts', 3000);
    expect(chooseEntry(server, {})).toBe('source');
    file('src/core/otp/service.ts', 1000);
    file('../protocol/src/index.ts', 3000);
    expect(chooseEntry(server, {})).toBe('source');
  });
});

describe('the bundle', () => {
  it('builds, starts, migrates its database and answers', async () => {
    // Inside the package, so the bundle's external imports resolve from server/node_modules.
    const outDir = join(serverDir, '.tmp', `bundle-test-${process.pid}`);
    const outfile = join(outDir, 'main.mjs');
    execFileSync(process.execPath, [join(serverDir, 'scripts/build.mjs'), `--outfile=${outfile}`]);
    const runner = `const { main } = await import(${JSON.stringify(`file://${outfile}`)}); process.exitCode = await main(['serve']);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', runner], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATABASE_URL: `sqlite:${join(temp, 'bundle.db')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = output.match(/listening on (http:\/\/\S+)/);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`bundle exited (${code}): ${output}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // The demo widget the development server created lives in the migrated database.
    const widget = output.match(/widgetId=(\w+) tokenAuth=(\S+)/);
    expect(widget).not.toBeNull();
    const process_ = await fetch(
      `${url}/api/v5/widget/getWidgetProcess?widgetId=${widget![1]}&tokenAuth=${widget![2]}`,
    );
    expect(process_.status).toBe(200);
    expect(((await process_.json()) as { status: string }).status).toBe('success');
  });
});
