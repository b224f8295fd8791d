/**
 * The counters a store keeps for the rate limits: what a call spends, what a
 * refusal says, and where the counters live. The store declares them, so
 * it needs nothing from the limits that use it.
 */
/** One counter a call spends a point of: at most `points` in each window of `seconds`. */
export interface LimitHit {
  key: string;
  points: number;
  seconds: number;
}

/** The first hit past its limit: its place in the list, and the time left in its window. */
export interface LimitRefusal {
  index: number;
  msBeforeNext: number;
}

/** The pumping brake's counter of one send: this hour's sends for a widget and country, refused above `ceiling`. */
export interface PumpingHit {
  widgetId: string;
  country: string;
  hour: number;
  ceiling: number;
}

/**
 * Why a store's count of a call refused it; nothing of the call was spent.
 * `limited`: the hit at `index` is past its limit. `pumping`: this hour's
 * count, with the refused send, would be `count`.
 */
export type CounterRefusal =
  | ({ kind: 'limited' } & LimitRefusal)
  | { kind: 'pumping'; count: number };

/**
 * A store's counters: several keys counted in one atomic step, all or
 * nothing: in order, and at the first one past its limit (or a pumping count
 * past its ceiling) none of them is spent.
 */
export interface StoreCounters {
  hit(
    hits: readonly LimitHit[],
    now: number,
    pumping?: PumpingHit | null,
  ): Promise<CounterRefusal | undefined>;
  /** Adds a point to `key`'s window (of `seconds`) and returns the points in it, with no limit. */
  count(key: string, seconds: number, now: number): Promise<number>;
  /** The points spent in `key`'s current window, and the ms left in it (0 and 0 when none). */
  peek(key: string, now: number): Promise<{ points: number; msBeforeNext: number }>;
  /** Gives back one point of each key, in its current window. */
  refund(keys: readonly string[], now: number): Promise<void>;
}

/** Where counters live. */
export type LimitBackend =
  | { kind: 'memory' }
  /**
   * A store's counters (the SQLite store, whose counters then commit with
   * the rest of the call's writes; the PostgreSQL store, in one round trip).
   * `client` is for tests.
   */
  | (StoreCounters & {
      kind: 'counters';
      /**
       * The counters of the store the services use: its combined writes
       * (`otpRequests.send`, `otpRequests.verify`) then spend a call's hits
       * themselves (`RateLimits.planSend`). Unset, `hit` counts them.
       */
      ownStore?: boolean;
      client?: unknown;
    })
  | { kind: 'redis'; client: unknown };
