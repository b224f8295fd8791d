import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from './driver.ts';
import { createGroupCommit } from './group-commit.ts';

let db: BetterSqlite3.Database;
afterEach(() => db?.close());

function open() {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  return createGroupCommit(db);
}

const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

describe('group commit', () => {
  it('runs the writes of one turn in one transaction, and settles each after the commit', async () => {
    const group = open();
    const seen: number[] = [];
    const writes = [1, 2, 3].map((i) =>
      group.write(() => {
        // Inside the group: no write of this turn has committed yet, and we are in a transaction.
        expect(db.inTransaction).toBe(true);
        seen.push(count());
        return db.prepare('INSERT INTO t (v) VALUES (?)').run(`v${i}`).lastInsertRowid;
      }),
    );
    // Nothing has run yet: the group starts after this turn.
    expect(count()).toBe(0);
    expect(await Promise.all(writes)).toEqual([1, 2, 3]);
    // Each write saw the ones before it in the same transaction.
    expect(seen).toEqual([0, 1, 2]);
    expect(db.inTransaction).toBe(false);
    expect(count()).toBe(3);
  });

  it('runs a write asked for just after a commit in the same turn (a chain of writes does not wait a turn each)', async () => {
    const group = open();
    const insert = (v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    const order: string[] = [];
    await group.write(() => insert('a'));
    // In the microtasks after that group's commit: the next write joins the wave's next group,
    // which commits before anything the event loop runs later (here, the next turn's immediate).
    setImmediate(() => order.push('next turn'));
    await group.write(() => insert('b'));
    order.push('b committed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['b committed', 'next turn']);
    expect(count()).toBe(2);
  });

  it('groups the writes of several chains step by step: one transaction per step, not per write', async () => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    let transactions = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (sql !== 'BEGIN IMMEDIATE') return statement;
      const run = statement.run.bind(statement);
      statement.run = (...args: unknown[]) => {
        transactions++;
        return run(...args);
      };
      return statement;
    }) as typeof db.prepare;
    const group = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const chain = async (name: string) => {
      for (const step of [1, 2, 3]) await group.write(() => insert.run(`${name}${step}`));
    };
    await Promise.all(['x', 'y', 'z'].map(chain));
    expect(count()).toBe(9);
    expect(transactions).toBe(3);
  });

  it('undoes only the write that throws, and rejects only its promise', async () => {
    const group = open();
    const ok = group.write(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('a'));
    const failing = group.write(() => {
      db.prepare('INSERT INTO t (v) VALUES (?)').run('b');
      // A constraint error after a statement that succeeded: both must be undone.
      db.prepare('INSERT INTO t (v) VALUES (?)').run('a');
    });
    const after = group.write(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('c'));
    await expect(ok).resolves.toBeDefined();
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(after).resolves.toBeDefined();
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['a', 'c']);
  });

  it('keeps nested transactions of a write atomic (they become savepoints)', async () => {
    const group = open();
    const pair = db.transaction((x: string, y: string) => {
      db.prepare('INSERT INTO t (v) VALUES (?)').run(x);
      db.prepare('INSERT INTO t (v) VALUES (?)').run(y);
    });
    await group.write(() => pair('x', 'y'));
    await expect(group.write(() => pair('z', 'x'))).rejects.toThrow(/UNIQUE/);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['x', 'y']);
  });

  it('fails the writes a rolled-back transaction undid, and still runs the later ones', async () => {
    const group = open();
    // An error on which SQLite rolls back the whole transaction (as a full disk or an I/O error does).
    db.exec(`CREATE TRIGGER boom BEFORE INSERT ON t WHEN NEW.v = 'boom'
             BEGIN SELECT RAISE(ROLLBACK, 'rolled back'); END`);
    const insert = (v: string) =>
      group.write(() => db.prepare('INSERT INTO t (v) VALUES (?)').run(v));
    const before = insert('a');
    const failing = insert('boom');
    const after = insert('c');
    const settled = Promise.allSettled([before, failing, after]);
    // Synchronously, so an error escaping the group fails here instead of as an uncaught exception.
    group.flush();
    const [a, boom, c] = await settled;
    // 'a' was undone with the transaction: its promise must not say it was written.
    expect(a.status).toBe('rejected');
    expect(boom.status).toBe('rejected');
    expect(c.status).toBe('fulfilled');
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['c']);
  });

  it('rejects every write of the group when the transaction cannot start', async () => {
    const group = open();
    const one = group.write(() => 1);
    const two = group.write(() => 2);
    db.close();
    await expect(one).rejects.toThrow(/not open/);
    await expect(two).rejects.toThrow(/not open/);
  });

  it('flush() commits what is queued at once', () => {
    const group = open();
    void group.write(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('now'));
    group.flush();
    expect(count()).toBe(1);
  });
});
