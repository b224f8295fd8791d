import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** CPU time of the whole machine from /proc/stat, in clock ticks: all of it, and what the hypervisor took (steal). */
export function machineTicks(): { total: number; steal: number } {
  try {
    // user nice system idle iowait irq softirq steal (guest time is already counted in user).
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9);
    const ticks = fields.map(Number);
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
  } catch {
    return { total: 0, steal: 0 };
  }
}

/** The machine, with its load and steal since `ticksAtStart` (`machineTicks()` when the run began). */
export function machine(ticksAtStart: { total: number; steal: number }): Record<string, unknown> {
  const ticks = machineTicks();
  const total = ticks.total - ticksAtStart.total;
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch} ${release()}`,
    // Other work on the machine skews every number: the 1-minute load average when the run ended.
    loadAverage: loadavg()[0]?.toFixed(2),
    // On a virtual machine the host may take CPU time from it (steal): the share of this run's.
    stealPercent:
      total > 0 ? ((100 * (ticks.steal - ticksAtStart.steal)) / total).toFixed(1) : 'unknown',
  };
}
