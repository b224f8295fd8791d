/**
 * Starts the system the way a user does: `otpkit serve` on a free port with
 * a fresh SQLite database, then the demo site pointed at it. The URLs reach
 * the tests through `process.env` (workers inherit it); the returned function
 * stops both processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type E2eEnvironment, ENV_KEYS } from './support/environment.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const widgetBundle = join(repo, 'widget', 'dist', 'otp-provider.js');
const START_TIMEOUT_MS = 30_000;

interface Started {
  child: ChildProcess;
  match: RegExpMatchArray;
}

/**
 * Spawns a command in its own process group and waits for a line of its
 * stdout to match `pattern`; on exit or timeout, throws with its output.
 */
function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  pattern: RegExp,
): Promise<Started> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopProcess(child);
      reject(
        new Error(
          `e2e: could not start the ${name} (${why}).\n` +
            `  command: ${command} ${args.join(' ')} (cwd ${options.cwd})\n` +
            `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`no match for ${pattern} within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      if (process.env.OTPKIT_E2E_VERBOSE) process.stdout.write(`[${name}] ${chunk}`);
      const match = stdout.match(pattern);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolvePromise({ child, match });
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      // After start, keep showing errors: they explain failing tests.
      if (settled || process.env.OTPKIT_E2E_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? `code ${code}`}`));
  });
}

/** Stops a process started by {@link startProcess}, with its whole process group. */
function stopProcess(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      resolvePromise();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(widgetBundle)) {
    throw new Error(
      `e2e: the widget bundle ${widgetBundle} is missing. Build it first: pnpm --filter @otpkit/widget build`,
    );
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'otpkit-e2e-'));
  const authkey = randomBytes(24).toString('base64url');
  const children: ChildProcess[] = [];
  // If the runner dies without running the teardown, don't leave servers behind.
  process.once('exit', () => {
    for (const child of children) stopProcess(child);
  });
  const teardown = async (): Promise<void> => {
    for (const child of children.reverse()) stopProcess(child);
    await Promise.all(children.map((child) => waitForExit(child, 5_000)));
    if (!process.env.OTPKIT_E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const server = await startProcess(
      'otpkit server',
      process.execPath,
      [join(repo, 'server', 'bin', 'otpkit.mjs'), 'serve'],
      {
        cwd: join(repo, 'server'),
        env: {
          ...process.env,
          NODE_ENV: 'development',
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dataDir, 'otpkit.db')}`,
          OTPKIT_AUTHKEY: authkey,
          OTPKIT_PUBLIC_URL: '',
          OTPKIT_DATA_DIR: '',
          OTPKIT_WIDGET_FILE: widgetBundle,
          // Every browser here is one IP (127.0.0.1) sending hundreds of codes: the rate limits
          // are raised so they never decide a browser test; the attack suite tests them.
          OTPKIT_LIMIT_IP: '100000/3600',
          OTPKIT_LIMIT_IDENTIFIER: '1000/600',
          OTPKIT_LIMIT_VERIFY_IP: '100000/600',
          OTPKIT_PUMPING_MIN: '100000',
          OTPKIT_LIMIT_VERIFY_IDENTIFIER: '100000/3600',
          OTPKIT_LIMIT_AUTH_IP: '100000/60',
          OTPKIT_LIMIT_AUTH_FAILURES: '100000/900',
          // The proof of work's cost rises for a network that keeps asking (and here every
          // browser is one network): the lockout attack suite tests the default cost.
          OTPKIT_POW_MAX_NUMBER: '1000',
        },
      },
      /Demo widget[^:]*: widgetId=(\S+) tokenAuth=(\S+)/,
    );
    children.push(server.child);
    const serverOutput = server.match.input ?? '';
    const listening = serverOutput.match(/listening on (http:\/\/\S+)/);
    if (!listening?.[1]) {
      throw new Error(`e2e: the otpkit server did not print its URL:\n${serverOutput}`);
    }
    const serverUrl = listening[1];

    const demo = await startProcess(
      'demo site',
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      {
        cwd: join(repo, 'demo-site'),
        env: {
          ...process.env,
          DEMO_PORT: '0',
          OTPKIT_URL: serverUrl,
          OTPKIT_AUTHKEY: authkey,
          OTPKIT_DEMO_FILE: join(dataDir, 'demo-widget.json'),
          OTPKIT_WIDGET_ID: '',
          OTPKIT_TOKEN_AUTH: '',
        },
      },
      /Demo site: (http:\/\/\S+)/,
    );
    children.push(demo.child);

    const environment: E2eEnvironment = {
      serverUrl,
      demoUrl: demo.match[1]!,
      authkey,
      demoWidget: { widgetId: server.match[1]!, tokenAuth: server.match[2]! },
      dataDir,
    };
    process.env[ENV_KEYS.environment] = JSON.stringify(environment);
    writeFileSync(join(dataDir, 'e2e-environment.json'), JSON.stringify(environment, null, 2));
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
