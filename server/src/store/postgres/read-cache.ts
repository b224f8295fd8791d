/**
 * Rows every API call reads (the widget, its token, the authkey, the
 * widget's templates) kept in process, so a call does not pay a round trip
 * for each. Several instances share one database, so the cache is only used
 * while this instance hears about every change:
 * - triggers on those tables (migration 013) `pg_notify('otpkit_cache')` on
 *   any insert, delete or truncate, and on any update except a last-use
 *   time; the notification reaches every listener when the change commits;
 * - a dedicated connection LISTENs on that channel and clears the cache on
 *   each notification, so a revoked token or authkey, or an edited or
 *   deleted widget, is refused by every instance within the notification's
 *   delivery (milliseconds on one network);
 * - while that connection is not up (before it first connects, after an
 *   error, while reconnecting), reads bypass the cache and go to the
 *   database; the cache is cleared when it (re)connects, since changes made
 *   meanwhile were not heard;
 * - a connection can also die without a word (a network fault, a failover
 *   to another server): it is asked `SELECT 1` every few seconds, and one
 *   not answered by the next beat counts as down;
 * - writes through this instance clear it at once;
 * - a read that was running when the cache was cleared is not kept (its row
 *   may predate the change).
 * It connects on the first cached read, so a store that never reads these
 * rows opens no extra connection. Bounded: cleared when full.
 */
import type pg from 'pg';

/** The channel the triggers of migration 013 notify. */
export const CACHE_CHANNEL = 'otpkit_cache';

export interface PgReadCache {
  /** The cached value for a key, else `load()` (kept when it is not undefined and nothing changed meanwhile). */
  get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Forgets everything: call on a write to a cached table. */
  clear(): void;
  /** Whether the cache is in use (the LISTEN connection is up). */
  listening(): boolean;
  /** Closes the LISTEN connection and stops reconnecting. */
  stop(): Promise<void>;
}

export interface PgReadCacheOptions {
  /** Opens the connection to LISTEN on. */
  connect: () => pg.Client;
  /** Entries kept at most (default 10,000). */
  maxEntries?: number;
  /** Wait before reconnecting after the LISTEN connection failed (default 1 s). */
  retryMs?: number;
  /** How often the LISTEN connection is checked (default 5 s): a check unanswered by the next one means it is down. */
  heartbeatMs?: number;
}

export function createPgReadCache(options: PgReadCacheOptions): PgReadCache {
  const maxEntries = options.maxEntries ?? 10_000;
  const retryMs = options.retryMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const entries = new Map<string, unknown>();
  // Bumped on every clear: a load that straddles one is not kept.
  let generation = 0;
  let client: pg.Client | undefined;
  let up = false;
  let started = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const clear = () => {
    generation++;
    entries.clear();
  };

  const down = (failed: pg.Client) => {
    if (client !== failed) return;
    client = undefined;
    up = false;
    clear();
    clearInterval(heartbeat);
    failed.removeAllListeners('notification');
    failed.end().catch(() => undefined);
    if (!stopped) {
      retry = setTimeout(listen, retryMs);
      retry.unref();
    }
  };

  function listen(): void {
    if (stopped) return;
    const c = options.connect();
    client = c;
    c.on('notification', clear);
    c.on('error', () => down(c));
    c.on('end', () => down(c));
    c.connect()
      .then(() => c.query(`LISTEN ${CACHE_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        // Changes made before LISTEN took effect were not heard.
        clear();
        up = true;
        let answered = true;
        heartbeat = setInterval(() => {
          if (!answered) return down(c);
          answered = false;
          c.query('SELECT 1').then(
            () => {
              answered = true;
            },
            () => down(c),
          );
        }, heartbeatMs);
        heartbeat.unref();
      })
      .catch(() => down(c));
  }

  return {
    async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
      if (!started) {
        started = true;
        listen();
      }
      if (!up) return load();
      if (entries.has(key)) return entries.get(key) as T;
      const before = generation;
      const value = await load();
      if (value !== undefined && up && generation === before) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, value);
      }
      return value;
    },
    clear,
    listening: () => up,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      up = false;
      clear();
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
