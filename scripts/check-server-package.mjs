// The server as a user installs it: `npm pack` of server/ (its `prepack`
// bundles dist/ with the migrations, the widget script and the console),
// publint, then `npm install ./otpkit-server-….tgz` into an empty folder and,
// from there, `npx otpkit --version`, `--help`, `migrate` and `serve` in
// production on PostgreSQL: /healthz, the widget script, the console, and a
// login (send → verify → verifyAccessToken). Nothing of the workspace and no
// TypeScript loader may be needed. Runs on the machine's Node, and also on the
// Node whose bin/ directory OTPKIT_PACKAGE_NODE_BINS lists (colon-separated;
// `.ci/run` passes Node 24's).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import {
  freePort,
  otpFlow,
  productionEnv,
  startGateway,
  startServeProcess,
} from './lib/otp-flow.mjs';

const TEST_DATABASE_URL =
  process.env.OTPKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Packs, lints, installs and runs the server package; logs each step.
 *
 * @param {{ root: string, out: string, bin: (name: string) => string }} context
 * @returns {Promise<boolean>} whether every step passed
 */
export async function checkServerPackage({ root, out, bin }) {
  const serverDir = join(root, 'server');
  const version = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')).version;
  let ok = true;
  const step = async (label, fn) => {
    const started = Date.now();
    try {
      const result = await fn();
      console.log(
        `packages: server: ${label}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      return result;
    } catch (error) {
      ok = false;
      console.error(
        `packages: server: ${label}: FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}${error.stack ?? error}`,
      );
      return undefined;
    }
  };

  const tarball = await step('npm pack', () => {
    const packed = execFileSync('npm', ['pack', '--pack-destination', out], {
      cwd: serverDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const name = packed
      .trim()
      .split('\n')
      .findLast((line) => line.endsWith('.tgz'));
    if (!name) throw new Error(`npm pack printed no tarball:\n${packed}`);
    const files = execFileSync('tar', ['tzf', join(out, name)], { encoding: 'utf8' }).split('\n');
    for (const needed of [
      'package/bin/otpkit.mjs',
      'package/dist/main.mjs',
      'package/dist/widget/otp-provider.js',
      'package/dist/console/index.html',
      'package/dist/store/sqlite/migrations/001_init.sql',
      'package/dist/store/postgres/migrations/001_init.sql',
    ]) {
      if (!files.includes(needed)) throw new Error(`${name} lacks ${needed}`);
    }
    const sources = files.filter((f) => /\.ts$/.test(f) || f.startsWith('package/src/'));
    if (sources.length > 0) throw new Error(`${name} ships TypeScript sources: ${sources}`);
    return join(out, name);
  });
  if (!tarball) return false;
  await step('publint', () =>
    execFileSync(bin('publint'), ['--strict', tarball], { cwd: root, stdio: 'pipe' }),
  );

  const extra = (process.env.OTPKIT_PACKAGE_NODE_BINS ?? '').split(':').filter(Boolean);
  for (const nodeBin of [null, ...extra]) {
    const node = nodeBin ? join(nodeBin, 'node') : process.execPath;
    const nodeVersion = execFileSync(node, ['-p', 'process.versions.node'], {
      encoding: 'utf8',
    }).trim();
    const major = Number(nodeVersion.split('.')[0]);
    const env = {
      ...process.env,
      PATH: nodeBin ? `${resolve(nodeBin)}:${process.env.PATH}` : process.env.PATH,
      // No workspace around it: nothing leaks in from the checkout's environment.
      NODE_OPTIONS: '--throw-deprecation',
      NODE_PATH: '',
    };
    const label = `Node ${nodeVersion}`;
    const app = mkdtempSync(join(out, `app-node${major}-`));
    // Node 20 builds better-sqlite3 12 from source at install (its script must be allowed);
    // Node 22 and later use 13's prebuilt binary, and skip building 12 with --omit=optional.
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'otpkit-app',
        private: true,
        allowScripts: { 'better-sqlite3': true },
      }),
    );
    const installed = await step(`${label}: npm install ${tarball.split('/').pop()}`, () => {
      const args = ['install', '--no-audit', '--no-fund', tarball];
      if (major >= 22) args.splice(1, 0, '--omit=optional');
      execFileSync('npm', args, { cwd: app, env, stdio: 'pipe' });
      for (const absent of [
        'tsx',
        '@otpkit/protocol',
        '@otpkit/server/src',
        'typescript',
        'esbuild',
      ]) {
        if (existsSync(join(app, 'node_modules', absent))) {
          throw new Error(`the install holds node_modules/${absent}`);
        }
      }
      return true;
    });
    if (!installed) continue;
    const npx = (args, extraEnv = {}) =>
      execFileSync('npx', ['--no-install', 'otpkit', ...args], {
        cwd: app,
        env: { ...env, ...extraEnv },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    await step(`${label}: npx otpkit --version`, () => {
      const printed = npx(['--version']).trim();
      if (printed !== `otpkit ${version}`) throw new Error(`printed ${printed}`);
    });
    await step(`${label}: npx otpkit --help`, () => {
      if (!npx(['--help']).includes('otpkit serve')) throw new Error('no usage');
    });

    const schema = `otpkit_pkg_${process.pid}_${major}`;
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.searchParams.set('schema', schema);
    const gateway = await startGateway();
    const port = await freePort();
    const serveEnv = {
      ...productionEnv({ publicUrl: `http://127.0.0.1:${port}`, webhookUrl: gateway.url }),
      DATABASE_URL: databaseUrl.toString(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    try {
      await step(`${label}: npx otpkit migrate (PostgreSQL)`, () => {
        if (!npx(['migrate'], serveEnv).includes('up to date')) throw new Error('no answer');
      });
      await step(
        `${label}: npx otpkit serve: API, widget script, console, login, SIGTERM`,
        async () => {
          const { child, exited, output, healthy } = startServeProcess(
            'npx',
            ['--no-install', 'otpkit', 'serve'],
            { cwd: app, env: { ...env, ...serveEnv } },
          );
          try {
            const url = `http://127.0.0.1:${port}`;
            await healthy(url, 'otpkit serve');
            const script = await fetch(`${url}/otp-provider.js`);
            if (!script.ok || !(await script.text()).includes('initSendOTP')) {
              throw new Error(`/otp-provider.js answered ${script.status}`);
            }
            const page = await fetch(`${url}/console`);
            if (!page.ok || !(await page.text()).includes('<script')) {
              throw new Error(`/console answered ${page.status}`);
            }
            await otpFlow({
              url,
              authkey: serveEnv.OTPKIT_AUTHKEY,
              gateway,
              origin: 'https://shop.example',
            });
            // SIGTERM to otpkit itself (as `docker stop` or systemd sends it); npx exits with its code.
            process.kill(leafOf(child.pid), 'SIGTERM');
            const code = await exited;
            if (code !== 0) throw new Error(`exit ${code}`);
            if (/Assertion failed|DeprecationWarning/.test(output())) throw new Error(output());
          } catch (error) {
            // otpkit first: killing npx alone would leave it running.
            try {
              process.kill(leafOf(child.pid), 'SIGKILL');
            } catch {
              // already gone
            }
            child.kill('SIGKILL');
            error.message += `\n--- otpkit serve output ---\n${output()}`;
            throw error;
          }
        },
      );
    } finally {
      await gateway.close();
      await dropSchema(serverDir, schema).catch(() => {});
    }
  }
  return ok;
}

/** The last descendant of a process: the `otpkit` node process under npx (and its shell). */
function leafOf(pid) {
  for (;;) {
    let children = '';
    try {
      children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      return pid;
    }
    const next = Number(children.split('\n')[0]);
    if (!next) return pid;
    pid = next;
  }
}

/** Drops the schema a run created, through the workspace's pg client. */
async function dropSchema(serverDir, schema) {
  const pg = createRequire(join(serverDir, 'package.json'))('pg');
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
