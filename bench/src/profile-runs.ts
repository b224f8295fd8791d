/** `--profile` and `--baseline`: the runs that look inside the SQLite complete flow. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadGenerator, type ServerProcess, startServerProcess } from './children.ts';
import { createWidget, dropPostgresSchema, startOtpkit } from './instances.ts';
import { withCpu } from './measure.ts';
import {
  AUTHKEY,
  connections,
  engines,
  here,
  log,
  nodeFlags,
  otpkitBin,
  resultsDir,
  seconds,
} from './options.ts';
import { summarizeProfile } from './profile.ts';

/**
 * `--profile`: an otpkit of its own on each engine of `--engines` under
 * `node --cpu-prof`, loaded with complete flows only, then stopped (the
 * profile is written at exit) and summarised: the functions with the most
 * self time, per flow. The floor's server is profiled the same way over floor
 * flows, for comparison.
 */
export async function profileFlows(load: LoadGenerator): Promise<string> {
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const out: string[] = [];
  for (const target of [...engines, 'floor']) {
    const engine = target === 'floor' ? undefined : target;
    log(
      `profile: ${engine ? `otpkit on ${engine}` : 'the floor'} under --cpu-prof, complete flows`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-bench-profile-'));
    const profileDir = join(resultsDir, 'profiles', `${target}-flow-${Date.now()}`);
    mkdirSync(profileDir, { recursive: true });
    const profiling = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    const server = engine
      ? await startOtpkit(engine, dir, load.receiverUrl, { profileDir })
      : await startServerProcess(
          [...profiling, ...nodeFlags, '--import', 'tsx', join(here, 'servers/ceiling.ts')],
          { BENCH_RECEIVER_URL: load.receiverUrl },
        );
    let flows = 0;
    let window: { fromUs: number; toUs: number } | undefined;
    try {
      const widget = engine ? await createWidget(server.url) : {};
      const fromUs = nowUs();
      const r = await load.run({
        kind: 'flow',
        target: engine ? 'otpkit' : 'floor',
        url: server.url,
        concurrency: connections,
        seconds,
        ...widget,
        authkey: AUTHKEY,
      });
      flows = r.requests;
      window = { fromUs, toUs: nowUs() };
      log(`  ${r.requests} flows under the profiler (${r.perSecond.toFixed(0)}/s)`);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      if (engine === 'postgres') await dropPostgresSchema();
    }
    const summary = summarizeProfile(profileDir, flows, engine ? 30 : 15, window);
    writeFileSync(join(profileDir, 'top.md'), `${summary}\n`);
    out.push(
      `Profile of ${engine ? `otpkit's ${engine} complete flow` : 'the floor flow'} (${profileDir}):\n\n${summary}`,
    );
  }
  return out.join('\n\n');
}

/**
 * `--baseline=<ref>`: that commit's server (`git archive` of server/ into
 * bench/results/baseline, this tree's node_modules linked in, bundled by its
 * own build script) against this tree's, both on SQLite and running at once,
 * loaded with complete flows in turns (this tree, the baseline, four times
 * each after a warm-up turn, a quarter of the run's seconds a turn): a change's CPU per flow as a
 * ratio within one run, the turns interleaved so that the machine's moods
 * fall on both.
 */
export async function compareWithBaseline(load: LoadGenerator, ref: string): Promise<string> {
  const repo = join(here, '..', '..');
  const base = join(resultsDir, 'baseline');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: repo })
    .toString()
    .trim();
  log(`baseline: server/ of ${ref} (${commit})`);
  execFileSync('sh', ['-c', `git archive ${commit} server | tar -x -C '${base}'`], { cwd: repo });
  symlinkSync(join(repo, 'server', 'node_modules'), join(base, 'server', 'node_modules'));
  execFileSync(process.execPath, [join(base, 'server', 'scripts', 'build.mjs')], {
    stdio: 'inherit',
  });
  const bins = { this: otpkitBin, baseline: join(base, 'server', 'bin', 'otpkit.mjs') };
  const servers: Record<
    string,
    { server: ServerProcess; dir: string; widget: { widgetId: string; tokenAuth: string } }
  > = {};
  const lines: string[] = [];
  try {
    for (const [name, bin] of Object.entries(bins)) {
      const dir = mkdtempSync(join(tmpdir(), `otpkit-bench-ab-${name}-`));
      const server = await startOtpkit('sqlite', dir, load.receiverUrl, { bin });
      servers[name] = { server, dir, widget: await createWidget(server.url) };
    }
    const totals: Record<string, { cpuMs: number; flows: number }> = {
      this: { cpuMs: 0, flows: 0 },
      baseline: { cpuMs: 0, flows: 0 },
    };
    // Turn 0 warms each server up (JIT, caches) and is not counted.
    for (let turn = 0; turn <= 4; turn++) {
      for (const name of ['this', 'baseline']) {
        const { server, widget } = servers[name]!;
        const r = await withCpu(server, () =>
          load.run({
            kind: 'flow',
            target: 'otpkit',
            url: server.url,
            concurrency: connections,
            seconds: Math.max(1, seconds / 4),
            ...widget,
            authkey: AUTHKEY,
          }),
        );
        if (turn === 0) continue;
        totals[name]!.cpuMs += (r.cpuUs * r.result.requests) / 1000;
        totals[name]!.flows += r.result.requests;
        lines.push(
          `  turn ${turn}, ${name}: ${r.result.perSecond.toFixed(0)} flows/s, ${r.cpuUs.toFixed(0)} µs per flow`,
        );
      }
    }
    const perFlow = (name: string) =>
      (totals[name]!.cpuMs * 1000) / Math.max(1, totals[name]!.flows);
    return [
      `A/B, SQLite complete flow: this tree against ${ref} (${commit}), turns interleaved:`,
      ...lines,
      `this tree ${perFlow('this').toFixed(0)} µs, baseline ${perFlow('baseline').toFixed(0)} µs of server CPU per flow: ` +
        `this / baseline ${(perFlow('this') / perFlow('baseline')).toFixed(3)}×`,
    ].join('\n');
  } finally {
    for (const { server, dir } of Object.values(servers)) {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
