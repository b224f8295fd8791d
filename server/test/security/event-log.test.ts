/**
 * The event log describes calls and never changes their answers: with the
 * database refusing every event row (a trigger, as a full disk or a broken
 * table would), each call still gets the answer it would have had, and the
 * lost rows are logged and counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/observability/logger.ts';
import type { Logger } from '../../src/platform/runtime.ts';
import { Database } from '../../src/store/sqlite/driver.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite, codeFor, tokenFor } from './suite.ts';

const API = '/api/v5/widget';
const dir = mkdtempSync(join(tmpdir(), 'otpkit-event-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A harness on a database file, so a second connection can break its event table. */
async function harnessOnFile(log?: Logger): Promise<{ h: Harness; breakEventLog(): void }> {
  const file = join(dir, `otpkit-${files++}.db`);
  const h = await createHarness({
    env: { DATABASE_URL: `sqlite:${file}` },
    ...(log ? { log } : {}),
  });
  return {
    h,
    breakEventLog() {
      const db = new Database(file);
      db.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON request_events
               BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      db.close();
    },
  };
}

const redeem = (h: Harness, token: string) =>
  h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': token });

const answer = (res: { status: number; body: { code?: string; type?: string } }) => ({
  status: res.status,
  code: res.body.code ?? String(res.body.type),
});

const attacks: Attack[] = [
  {
    attack: 'an access token replayed while the event log refuses writes (no 500)',
    expected: { status: 409, code: 'TOKEN_ALREADY_VERIFIED' },
    async run() {
      const { h, breakEventLog } = await harnessOnFile();
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      expect((await redeem(h, token)).status).toBe(200);
      breakEventLog();
      const res = await redeem(h, token);
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a forged access token while the event log refuses writes (no 500)',
    expected: { status: 401, code: 'TOKEN_INVALID' },
    async run() {
      const { h, breakEventLog } = await harnessOnFile();
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      breakEventLog();
      const res = await redeem(h, `${token.slice(0, -4)}AAAA`);
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'an access token redeemed while the event log refuses writes (redeemed, once)',
    expected: 'redeemed, then TOKEN_ALREADY_VERIFIED',
    async run() {
      const { h, breakEventLog } = await harnessOnFile();
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      breakEventLog();
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
      const { h, breakEventLog } = await harnessOnFile();
      const w = await h.createWidget();
      const { reqId, code } = await codeFor(h, w, '919876543210');
      breakEventLog();
      const res = await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
      await h.close();
      return answer(res);
    },
  },
];

attackSuite('Event log failures', attacks, {
  more() {
    it('logs and counts every event row the database refused', async () => {
      const lines: string[] = [];
      const log = createLogger({ level: 'error', destination: { write: (l) => lines.push(l) } });
      const { h, breakEventLog } = await harnessOnFile(log);
      const w = await h.createWidget();
      const token = await tokenFor(h, w);
      breakEventLog();
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
