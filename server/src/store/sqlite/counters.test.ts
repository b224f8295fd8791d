import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteCounters } from './counters.ts';
import { Database } from './driver.ts';

let db: BetterSqlite3.Database;
afterEach(() => db?.close());

function open() {
  db = new Database(':memory:');
  db.exec(
    'CREATE TABLE rate_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)',
  );
  return sqliteCounters((sql) => db.prepare(sql));
}

const keys = () => db.prepare('SELECT key FROM rate_limits ORDER BY key').pluck().all();
const HOUR = 3_600_000;

describe('SQLite rate-limit counters', () => {
  it('counts in fixed windows and refuses past the limit', () => {
    const hit = open().spend;
    const one = [{ key: 'k', points: 2, seconds: 60 }];
    expect(hit(one, 0)).toBeUndefined();
    expect(hit(one, 1000)).toBeUndefined();
    expect(hit(one, 2000)).toEqual({ index: 0, msBeforeNext: 58_000 });
    // The window has ended: a new one starts.
    expect(hit(one, 60_000)).toBeUndefined();
  });

  it('deletes counters whose window ended over an hour ago, so rows do not pile up', () => {
    const hit = open().spend;
    hit([{ key: 'old', points: 5, seconds: 60 }], 0);
    hit([{ key: 'recent', points: 5, seconds: 60 }], 2 * HOUR);
    // 'old' ended at 60 s, over an hour before 2 h; 'recent' is live.
    expect(keys()).toEqual(['recent']);
    hit([{ key: 'later', points: 5, seconds: 60 }], 2 * HOUR + 1000);
    expect(keys()).toEqual(['later', 'recent']);
  });

  it('counts without a limit, peeks at a window and gives points back within it', () => {
    const counters = open();
    expect(counters.count('c', 60, 0)).toBe(1);
    expect(counters.count('c', 60, 1000)).toBe(2);
    expect(counters.peek('c', 2000)).toEqual({ points: 2, msBeforeNext: 58_000 });
    counters.refund(['c', 'missing'], 3000);
    expect(counters.peek('c', 3000)).toEqual({ points: 1, msBeforeNext: 57_000 });
    // An ended window holds nothing to give back, and peeks as empty.
    counters.refund(['c'], 61_000);
    expect(counters.peek('c', 61_000)).toEqual({ points: 0, msBeforeNext: 0 });
    expect(counters.count('c', 60, 61_000)).toBe(1);
  });
});
