/** Starting the processes of a benchmark: servers under test and the load generator. */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Job, JobResult } from './protocol.ts';

/** A server under test, running in its own process. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory now, in MB (VmRSS from /proc). */
  rssMb(): number;
  /** CPU time the process (all its threads) has used so far, in ms (/proc/PID/stat). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Resident set size of a process in MB, from /proc/PID/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process in ms, from /proc/PID/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3 on: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * Spawns `node …args` and waits for the line that names its URL
 * (`READY <url>` from the bench servers, `listening on <url>` from otpkit).
 *
 * @throws Error with the process's output when it exits before it listens.
 */
export function startServerProcess(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > 40) output.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer within ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before listening:\n${output.join('\n')}`));
    };
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      // BENCH_SERVER_LOG=<file>: the server's stdout (its log lines, `--trace-gc` output) kept in a file.
      if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, `${line}\n`);
      keep(line);
      const url = line.match(/^READY (\S+)/)?.[1] ?? line.match(/listening on (http\S+)/)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        url: url.replace('//localhost:', '//127.0.0.1:'),
        pid: child.pid!,
        rssMb: () => rssMb(child.pid!),
        cpuMs: () => cpuMs(child.pid!),
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The load-generator process and its code receiver. */
export interface LoadGenerator {
  receiverUrl: string;
  run(job: Job): Promise<JobResult>;
  stop(): Promise<void>;
}

export function startLoadGenerator(): Promise<LoadGenerator> {
  const child = fork(new URL('./load.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
    child.once('message', (message: { ready?: boolean; receiverUrl?: string }) => {
      if (!message.ready || !message.receiverUrl) return reject(new Error('load generator?'));
      resolve({
        receiverUrl: message.receiverUrl,
        run: (job) =>
          new Promise((done, fail) => {
            child.once('message', (answer: { ok: boolean; result?: JobResult; error?: string }) => {
              if (answer.ok && answer.result) done(answer.result);
              else fail(new Error(answer.error ?? 'load generator failed'));
            });
            child.send(job);
          }),
        stop: () => {
          child.removeAllListeners('exit');
          return stopChild(child);
        },
      });
    });
  });
}
