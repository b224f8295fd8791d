/**
 * Real `otpkit serve` processes for crash and shutdown tests: started on a
 * free port, killed hard or stopped with a signal, their output kept.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const bin = new URL('../../bin/otpkit.mjs', import.meta.url).pathname;

/** A running `otpkit serve`. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals>;
}

const started: ChildProcess[] = [];

/** Kills (SIGKILL) every process started so far: call from `afterEach`. */
export function killAll(): void {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
}

/** Starts `otpkit serve` with `env` on top of the test's environment (and `PORT=0`). */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { url, port: Number(new URL(url).port), child, output: () => output, exited };
}

/** `kill -9`, and waits for the process to be gone. */
export async function kill9(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

/** Polls `check` every `everyMs` until it holds; throws after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms = 15_000,
  everyMs = 50,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
