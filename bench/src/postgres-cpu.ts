/**
 * PostgreSQL's own CPU time for the connections of named clients: their
 * backends are found by `application_name` in `pg_stat_activity`, and each
 * backend's user + system time read from `/proc/<pid>/stat` (the database
 * runs on this machine). Polled every 250 ms, so a backend that a pool opens
 * and closes during a phase is counted too (all of its time, less at most
 * its last 250 ms); backends already open when metering starts count from then.
 */
import pg from 'pg';
import { cpuMs } from './children.ts';

const POLL_MS = 250;

export class PostgresBackends {
  private readonly client: pg.Client;
  /** CPU time (ms) of each backend when first seen (0 for one opened since metering started), and at its last poll. */
  private readonly base = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private started = false;

  constructor(
    url: string,
    private readonly appNames: string[],
  ) {
    this.client = new pg.Client({ connectionString: url });
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.poll();
    this.started = true;
    this.timer = setInterval(() => void this.poll().catch(() => {}), POLL_MS);
  }

  /** The backends' CPU time since metering started, in ms. */
  async cpuMs(): Promise<number> {
    await this.poll();
    let total = 0;
    for (const [pid, last] of this.last) total += last - (this.base.get(pid) ?? 0);
    return total;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling?.catch(() => {});
    await this.client.end().catch(() => {});
  }

  private poll(): Promise<void> {
    this.polling ??= this.read().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async read(): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1)',
      [this.appNames],
    );
    for (const { pid } of rows) {
      let now: number;
      try {
        now = cpuMs(pid);
      } catch {
        continue; // gone since the query
      }
      if (!this.base.has(pid)) this.base.set(pid, this.started ? 0 : now);
      this.last.set(pid, now);
    }
  }
}
