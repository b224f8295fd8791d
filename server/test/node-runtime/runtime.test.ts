/**
 * otpkit on the Node it runs on (the suite runs on 20, 22 and 24 in CI):
 * the better-sqlite3 line picked for that Node, and a real production
 * `otpkit serve` that completes logins, with its checkpoint worker running,
 * and exits 0 on SIGTERM with neither a native assertion nor a deprecation
 * warning (it runs with `--throw-deprecation`).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { otpFlow, productionEnv, startGateway } from '../../../scripts/lib/otp-flow.mjs';
import { driverModule, driverModuleFor, driverPath } from '../../src/store/sqlite/driver.ts';
import { killAll, startServerProcess } from '../../src/testing/processes.ts';

vi.setConfig({ testTimeout: 90_000 });
afterEach(killAll);

/** The version of the package a resolved entry belongs to. */
function packageVersion(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'better-sqlite3') return pkg.version as string;
    } catch {
      // not the package root yet
    }
  }
  throw new Error(`no better-sqlite3 package.json above ${entry}`);
}

describe(`Node ${process.versions.node}`, () => {
  it('picks better-sqlite3 13 (Node-API) from Node 22 on, 12 on Node 20', () => {
    expect(driverModuleFor('20.19.0')).toBe('better-sqlite3-node20');
    expect(driverModuleFor('20.20.2')).toBe('better-sqlite3-node20');
    expect(driverModuleFor('22.12.0')).toBe('better-sqlite3');
    expect(driverModuleFor('24.21.0')).toBe('better-sqlite3');
    const major = Number(process.versions.node.split('.')[0]);
    expect(driverModule).toBe(driverModuleFor(process.versions.node));
    expect(packageVersion(driverPath).split('.')[0]).toBe(major >= 22 ? '13' : '12');
  });

  it('serves logins in production and exits 0 on SIGTERM, with no assertion or deprecation', async () => {
    const gateway = await startGateway();
    try {
      const env = productionEnv({
        publicUrl: 'https://otp.example',
        webhookUrl: gateway.url,
      });
      const server = await startServerProcess({
        ...env,
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-node-')), 'otpkit.db')}`,
        // Any deprecation in the server, its worker thread or its dependencies ends it (exit ≠ 0).
        NODE_OPTIONS: '--throw-deprecation',
        OTPKIT_SHUTDOWN_DELAY_SECONDS: '0',
      });
      for (const identifier of ['919876543210', '919876543211', '919876543212']) {
        await otpFlow({
          url: server.url,
          authkey: env.OTPKIT_AUTHKEY!,
          gateway,
          origin: 'https://shop.example',
          identifier,
        });
      }
      // The checkpoint worker has run; the store and the worker close on the way out.
      await new Promise((r) => setTimeout(r, 1500));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).not.toMatch(/Assertion failed|DeprecationWarning|\[DEP\d+\]/);
    } finally {
      await gateway.close();
    }
  });
});
