/**
 * Rows every API call reads (the widget, its token, the authkey, the
 * widget's templates) kept in process, so a call does not pay a round trip
 * for each. Several instances share one database; two mechanisms keep the
 * cache honest:
 * - a generation (migration 027): one number the database moves in the same
 *   transaction as any change to those tables (any insert, delete or
 *   truncate, any update but a last-use time). The cache knows the
 *   generation its rows were read at, and an operation that decides with
 *   them (a send, a code check, a token redemption: one round trip each
 *   already) carries it and is refused with no effect when it has moved
 *   (`generation()`; operations.ts). The store then reads the rows that
 *   call may have used again (`revalidate`) and either refuses the call as
 *   a fresh read would, or retries it once. So a decision never takes
 *   effect with a row a committed change had already replaced, however late
 *   this instance hears of the change;
 * - a notification: the same triggers `pg_notify('otpkit_cache')` (migration
 *   013), and a dedicated connection LISTENs and clears the cache, then
 *   reads the new generation on that connection (reads go to the database
 *   until it is known). Calls that make no write of their own (reading a
 *   widget's public settings) are served from the cache until then:
 *   milliseconds on one network. A notification lost on a connection that
 *   stays up is caught by the heartbeat, which reads the generation every
 *   `heartbeatMs` (1 s): those calls are never served more than that after
 *   a change, and no call pays a round trip for it;
 * - while that connection is not up (before it first connects, after an
 *   error, while reconnecting), reads bypass the cache and go to the
 *   database, and operations carry no generation (their rows are fresh);
 * - a connection can also die without a word (a network fault, a failover
 *   to another server): a heartbeat not answered by the next counts as down;
 * - writes through this instance clear it at once;
 * - a read that was running when the cache was cleared is not kept (its row
 *   may predate the change).
 * What stays open: a call whose cached read came after a change committed
 * and before this instance heard of it, and whose write comes after it
 * heard (both inside the notification's delay), is not told apart from one
 * that read before the change; it is ordered before the change.
 * It connects on the first cached read, so a store that never reads these
 * rows opens no extra connection. Bounded: cleared when full.
 */
import type pg from 'pg';

/** The channel the triggers of migration 013 notify. */
export const CACHE_CHANNEL = 'otpkit_cache';

/** Reads the generation of migration 027. */
export const GENERATION_SQL = 'SELECT generation FROM otpkit_cache_generation';

/** A cached row a call may have decided with, as it was then (`before`) and as it reads now (`after`: undefined when gone). */
export interface ChangedRow {
  key: string;
  before: unknown;
  after: unknown;
}

export interface PgReadCache {
  /** The cached value for a key, else `load()` (kept when it is not undefined and nothing changed meanwhile). */
  get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Forgets everything: call on a write to a cached table. */
  clear(): void;
  /**
   * The generation an operation must carry: the one every row the cache
   * serves was read at, or null when it serves none (not listening, or not
   * known yet: reads then go to the database).
   */
  generation(): number | null;
  /**
   * After an operation carrying `carried` was refused because the database
   * is at `current`: forgets the rows read at `carried`, reads again those
   * `pick` names among them (the ones the call may have decided with) and
   * answers those that changed, last-use times aside.
   */
  revalidate(
    carried: number,
    current: number,
    pick: (rows: ReadonlyMap<string, unknown>) => Iterable<string>,
  ): Promise<ChangedRow[]>;
  /** Whether the cache is in use (the LISTEN connection is up, and the generation known). */
  listening(): boolean;
  /** Closes the LISTEN connection and stops reconnecting. */
  stop(): Promise<void>;
}

export interface PgReadCacheOptions {
  /** Opens the connection to LISTEN on. */
  connect: () => pg.Client;
  /**
   * Whether the generation of migration 027 is read (on the LISTEN
   * connection) and operations carry it (default false: the cache is then
   * only as exact as the notifications).
   */
  exact?: boolean;
  /** Entries kept at most (default 10,000). */
  maxEntries?: number;
  /** Wait before reconnecting after the LISTEN connection failed (default 1 s). */
  retryMs?: number;
  /**
   * How often the LISTEN connection is checked (default 1 s): a check
   * unanswered by the next one means it is down; with `exact`, the check
   * reads the generation and a move nobody notified clears the cache.
   */
  heartbeatMs?: number;
}

interface Entry {
  value: unknown;
  load: () => Promise<unknown>;
}

/** Rows read at one generation. */
interface Epoch {
  /** The generation the rows were read at (or after); undefined until it is known. */
  generation: number | undefined;
  entries: Map<string, Entry>;
}

const LAST_USE = new Set(['last_used_at', 'lastUsedAt']);
/** A row as a decision sees it: its last-use time moves on every use and decides nothing. */
const decisive = (value: unknown): string =>
  JSON.stringify(value, (k, v) => (LAST_USE.has(k) ? undefined : v)) ?? 'undefined';

export function createPgReadCache(options: PgReadCacheOptions): PgReadCache {
  const exact = options.exact ?? false;
  const maxEntries = options.maxEntries ?? 10_000;
  const retryMs = options.retryMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  // Without the generation the rows are trusted as of when they were read: a fixed 0.
  const fresh = (): Epoch => ({ generation: exact ? undefined : 0, entries: new Map() });
  let epoch = fresh();
  // The epoch before the last clear: a refused operation may have decided with its rows.
  let previous: Epoch | undefined;
  let client: pg.Client | undefined;
  let up = false;
  let started = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  // One query at a time on the LISTEN connection (pg queues them, deprecated): a chain.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = <T>(c: pg.Client, sql: string): Promise<T[]> => {
    const answer = queue.then(() => c.query(sql)).then((r) => r.rows as T[]);
    queue = answer.catch(() => undefined);
    return answer;
  };
  const readGeneration = async (c: pg.Client): Promise<number> =>
    Number((await ask<{ generation: string }>(c, GENERATION_SQL))[0]!.generation);

  // Reads the generation of a new epoch on the LISTEN connection: rows loaded after it are at
  // least as new, so operations carrying it are refused by any change after it.
  const learn = (c: pg.Client) => {
    const target = epoch;
    readGeneration(c).then(
      (g) => {
        if (epoch === target && client === c) target.generation = g;
      },
      () => down(c),
    );
  };

  const clear = () => {
    if (epoch.entries.size > 0) previous = epoch;
    epoch = fresh();
    if (exact && up && client) learn(client);
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

  const beat = (c: pg.Client) => {
    let answered = true;
    heartbeat = setInterval(() => {
      if (!answered) return down(c);
      answered = false;
      const known = epoch;
      (exact ? readGeneration(c) : ask(c, 'SELECT 1').then(() => undefined)).then(
        (g) => {
          answered = true;
          // Moved with no notification heard (or not yet): what was read before is not current.
          if (
            g !== undefined &&
            known === epoch &&
            known.generation !== undefined &&
            g !== known.generation
          ) {
            clear();
          }
        },
        () => down(c),
      );
    }, heartbeatMs);
    heartbeat.unref();
  };

  function listen(): void {
    if (stopped) return;
    const c = options.connect();
    client = c;
    queue = Promise.resolve();
    c.on('notification', clear);
    c.on('error', () => down(c));
    c.on('end', () => down(c));
    c.connect()
      .then(() => c.query(`LISTEN ${CACHE_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        up = true;
        // Changes made before LISTEN took effect were not heard.
        clear();
        beat(c);
      })
      .catch(() => down(c));
  }

  return {
    async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
      if (!started) {
        started = true;
        listen();
      }
      if (!up || epoch.generation === undefined) return load();
      const hit = epoch.entries.get(key);
      if (hit) return hit.value as T;
      const before = epoch;
      const value = await load();
      if (value !== undefined && up && epoch === before) {
        // Full: start over at the same generation (nothing changed, nothing to forget).
        if (before.entries.size >= maxEntries) {
          previous = before;
          epoch = { generation: before.generation, entries: new Map() };
        }
        epoch.entries.set(key, { value, load });
      }
      return value;
    },
    clear,
    generation: () => (exact && up ? (epoch.generation ?? null) : null),
    async revalidate(carried, current, pick) {
      const stale = [epoch, previous].find((e) => e?.generation === carried);
      // This instance had not heard of the change: what it serves is older than `current`.
      if (epoch.generation !== undefined && epoch.generation < current) clear();
      if (!stale) return [];
      const values = new Map([...stale.entries].map(([key, e]) => [key, e.value]));
      const picked = [...new Set(pick(values))].flatMap((key) => {
        const e = stale.entries.get(key);
        return e ? [{ key, e }] : [];
      });
      const now = await Promise.all(picked.map(({ e }) => e.load()));
      return picked
        .map(({ key, e }, i) => ({ key, before: e.value, after: now[i] }))
        .filter((r) => decisive(r.before) !== decisive(r.after));
    },
    listening: () => up && epoch.generation !== undefined,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      up = false;
      clear();
      previous = undefined;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
