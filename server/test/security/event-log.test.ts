/**
 * The event log describes calls and never changes their answers: with the
 * database refusing every event row (a trigger, as a full disk or a broken
 * table would), each call still gets the answer it would have had, and the
 * lost rows are logged and counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/observability/logger.ts';
import type { Logger } from '../../src/platform/runtime.ts';
import { freshSchema, TEST_DATABASE_URL } from '../../src/store/postgres/test-database.ts';
import { Database } from '../../src/store/sqlite/driver.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite, codeFor, tokenFor } from './suite.ts';

const API = '/api/v5/widget';
const dir = mkdtempSync(join(tmpdir(), 'otpkit-event-log-'));
const schemas: ReturnType<typeof freshSchema>[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await s.drop();
});
let files = 0;

type Engine = 'SQLite' | 'PostgreSQL';

/**
 * A harness on its own database (a SQLite file, or a PostgreSQL schema), so
 * a second connection can break its event table.
 */
async function harnessOn(
  engine: Engine,
  log?: Logger,
): Promise<{ h: Harness; breakEventLog(): Promise<void> }> {
  const logging = log ? { log } : {};
  if (engine === 'SQLite') {
    const file = join(dir, `otpkit-${files++}.db`);
    const h = await createHarness({ env: { DATABASE_URL: `sqlite:${file}` }, ...logging });
    return {
      h,
      async breakEventLog() {
        const db = new Database(file);
        db.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON request_events
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
        db.close();
      },
    };
  }
  const schema = freshSchema();
  schemas.push(schema);
  const h = await createHarness({ env: { DATABASE_URL: schema.url }, ...logging });
  return {
    h,
    async breakEventLog() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        const s = schema.schema;
        await client.query(`CREATE FUNCTION ${s}.refuse_events() RETURNS trigger LANGUAGE plpgsql
          AS $$ BEGIN RAISE EXCEPTION 'database or disk is full'; END $$`);
        await client.query(`CREATE TRIGGER refuse_events BEFORE INSERT ON ${s}.request_events
          FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_events()`);
      } finally {
        await client.end();
      }
    },
  };
}

const redeem = (h: Harness, token: string) =>
  h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': token });

const answer = (res: { status: number; body: { code?: string; type?: string } }) => ({
  status: res.status,
  code: res.body.code ?? String(res.body.type),
});

const attacksOn = (engine: Engine): Attack[] => [
  {
    attack: 'an access token replayed while the event log refuses writes (no 500)',
    expected: { status: 409, code: 'TOKEN_ALREADY_VERIFIED' },
    async run() {
      const { h, breakEventLog } = await harnessOn(engine);
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      expect((await redeem(h, token)).status).toBe(200);
      await breakEventLog();
      const res = await redeem(h, token);
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a forged access token while the event log refuses writes (no 500)',
    expected: { status: 401, code: 'TOKEN_INVALID' },
    async run() {
      const { h, breakEventLog } = await harnessOn(engine);
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      await breakEventLog();
      const res = await redeem(h, `${token.slice(0, -4)}AAAA`);
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'an access token redeemed while the event log refuses writes (redeemed, once)',
    expected: 'redeemed, then TOKEN_ALREADY_VERIFIED',
    async run() {
      const { h, breakEventLog } = await harnessOn(engine);
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      await breakEventLog();
      const first = await redeem(h, token);
      const second = await redeem(h, token);
      await h.close();
      return first.status === 200 && first.body.type === 'success'
        ? `redeemed, then ${second.body.code ?? second.status}`
        : `first redemption answered ${first.status} ${first.body.code}`;
    },
  },
  {
    attack: 'the right code while the event log refuses writes (verified, no 500)',
    expected: { status: 200, code: 'success' },
    async run() {
      const { h, breakEventLog } = await harnessOn(engine);
      const w = await h.createWidget();
      const { reqId, code } = await codeFor(h, w, '919876543210');
      await breakEventLog();
      const res = await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
      await h.close();
      return answer(res);
    },
  },
];

const attacks: Attack[] = (['SQLite', 'PostgreSQL'] as const).flatMap((engine) =>
  attacksOn(engine).map((a) => ({ ...a, attack: `${a.attack}, ${engine}` })),
);

attackSuite('Event log failures', attacks, {
  more() {
    it('logs and counts every event row the database refused', async () => {
      const lines: string[] = [];
      const log = createLogger({ level: 'error', destination: { write: (l) => lines.push(l) } });
      const { h, breakEventLog } = await harnessOn('SQLite', log);
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      await breakEventLog();
      await redeem(h, token); // redeemed: its row refused
      await redeem(h, token); // replayed: its row refused
      const metrics = await h.services.metrics.render();
      await h.close();
      expect(metrics).toContain('otpkit_events_not_recorded_total{kind="verify-token"} 2');
      const refused = lines
        .map((l) => JSON.parse(l) as { msg: string; kind?: string; error?: string })
        .filter((e) => e.msg === 'event not recorded');
      expect(refused).toHaveLength(2);
      for (const e of refused) {
        expect(e.kind).toBe('verify-token');
        expect(e.error).toContain('database or disk is full');
      }
    });
  },
});
