/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, a `.cpuprofile` file):
 * self time per function, summed over every node of the call tree that
 * names it, largest first. Positions in the bundled server are mapped back
 * to their source file through its source map (node:module's `SourceMap`),
 * so each function is named with the file (or package) it comes from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | null>();

/** The source map of a script (`//# sourceMappingURL=` beside it), if it has one. */
function sourceMapOf(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url) ?? null;
  let map: SourceMap | null = null;
  try {
    const path = fileURLToPath(url);
    const text = readFileSync(path, 'utf8');
    const ref = text.match(/\/\/# sourceMappingURL=(\S+)\s*$/)?.[1];
    if (ref && !ref.startsWith('data:')) {
      map = new SourceMap(JSON.parse(readFileSync(join(path, '..', ref), 'utf8')));
    }
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** Where a frame comes from: `package` for a dependency, the server's source path, or Node's. */
function origin(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '';
  if (frame.url.startsWith('node:')) return frame.url;
  const map = frame.url.startsWith('file:') ? sourceMapOf(frame.url) : null;
  let file = frame.url;
  let line = frame.lineNumber + 1;
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (entry.originalSource) {
      file = entry.originalSource;
      line = (entry.originalLine ?? 0) + 1;
    }
  }
  const pkg = file.match(
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/,
  )?.[1];
  if (pkg) return pkg;
  const src = file.indexOf('/src/');
  return `${src >= 0 ? file.slice(src + 1) : file}:${line}`;
}

/** Whether a frame is the server's own code (a source file under its src/), not a package or Node. */
const isOwn = (from: string) => from.startsWith('src/');

/**
 * The top self-time functions of the profiles in a directory, as a Markdown table (µs per flow).
 * Only samples inside `window` count (µs of the monotonic clock, `process.hrtime` here, V8's
 * `TimeTicks` in the profile: both CLOCK_MONOTONIC on Linux), so start-up and shutdown are left out.
 */
export function summarizeProfile(
  dir: string,
  flows: number,
  top: number,
  window?: { fromUs: number; toUs: number },
): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const selfUs = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  /** Inclusive time of the server's own functions (each counted once per sample, however deep it recurses). */
  const inclusive = new Map<string, number>();
  /**
   * Each sample charged to the folder (under src/) of the deepest of the server's own functions on
   * its stack: what a package or Node does when otpkit's code calls it is that code's cost. Samples
   * with no own function on the stack (HTTP parsing and writing, timers, GC) are the runtime's.
   */
  const byArea = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const keyOf = new Map<number, { fn: string; from: string }>();
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    for (const n of profile.nodes) {
      const from = origin(n.callFrame);
      keyOf.set(n.id, { fn: n.callFrame.functionName || '(anonymous)', from });
    }
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) continue;
      // A sample's time is the delta to the next one.
      const us = profile.timeDeltas[i + 1] ?? 0;
      const node = byId.get(profile.samples[i]!);
      if (!node) continue;
      const { fn, from } = keyOf.get(node.id)!;
      if (fn === '(idle)') {
        idleUs += us;
        continue;
      }
      totalUs += us;
      const key = `${fn}\t${from}`;
      selfUs.set(key, (selfUs.get(key) ?? 0) + us);
      const group = isOwn(from) ? 'own code (src/)' : from || fn;
      byOrigin.set(group, (byOrigin.get(group) ?? 0) + us);
      let area = 'runtime: HTTP server, sockets, GC (no own function on the stack)';
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
        const { from: at } = keyOf.get(id)!;
        if (!isOwn(at)) continue;
        const path = at.replace(/:\d+$/, '');
        area = path.split('/').slice(0, -1).join('/');
        break;
      }
      byArea.set(area, (byArea.get(area) ?? 0) + us);
      const seen = new Set<string>();
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
        const frame = keyOf.get(id)!;
        if (!isOwn(frame.from)) continue;
        const name = `${frame.fn}\t${frame.from}`;
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  const perFlow = (us: number) => (flows > 0 ? (us / flows).toFixed(1) : '—');
  const pct = (us: number) => ((100 * us) / Math.max(1, totalUs)).toFixed(1);
  const lines = [
    `Main thread busy ${(totalUs / 1000).toFixed(0)} ms (idle ${(idleUs / 1000).toFixed(0)} ms) over ${flows} flows: ${perFlow(totalUs)} µs per flow under the profiler`,
    '',
    '| self µs/flow | % busy | function | from |',
    '| --- | --- | --- | --- |',
    ...[...selfUs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => {
        const [fn, from] = key.split('\t');
        return `| ${perFlow(us)} | ${pct(us)} | ${fn} | ${from} |`;
      }),
    '',
    '| inclusive µs/flow | % busy | own function (with what it calls) | from |',
    '| --- | --- | --- | --- |',
    ...[...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => {
        const [fn, from] = key.split('\t');
        return `| ${perFlow(us)} | ${pct(us)} | ${fn} | ${from} |`;
      }),
    '',
    '| µs/flow | % busy | charged to (the folder of the deepest own function on the stack) |',
    '| --- | --- | --- |',
    ...[...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([area, us]) => `| ${perFlow(us)} | ${pct(us)} | ${area} |`),
    '',
    '| self µs/flow | % busy | from (package, Node internals, or own code) |',
    '| --- | --- | --- |',
    ...[...byOrigin.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([from, us]) => `| ${perFlow(us)} | ${pct(us)} | ${from} |`),
  ];
  return lines.join('\n');
}
