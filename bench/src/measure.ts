import type { JobResult } from './protocol.ts';

/** Server CPU per request of a phase, in µs. */
export const perRequestUs = (cpuMs: number, r: JobResult) =>
  (cpuMs * 1000) / Math.max(1, r.requests + r.failures + (r.warmup ?? 0));

/** Something whose CPU time is measured over a phase: a server process, or several; PostgreSQL's backends. */
export interface CpuMeter {
  cpuMs(): number | Promise<number>;
}

/**
 * Runs a phase and measures the server's CPU time over it, per request (and
 * the database's, when its backends are metered).
 */
export async function withCpu(
  server: CpuMeter,
  phase: () => Promise<JobResult>,
  db?: CpuMeter,
): Promise<{ result: JobResult; cpuUs: number; dbCpuUs?: number }> {
  const dbBefore = await db?.cpuMs();
  const before = await server.cpuMs();
  const result = await phase();
  const cpuUs = perRequestUs((await server.cpuMs()) - before, result);
  if (!db || dbBefore === undefined) return { result, cpuUs };
  return { result, cpuUs, dbCpuUs: perRequestUs((await db.cpuMs()) - dbBefore, result) };
}
