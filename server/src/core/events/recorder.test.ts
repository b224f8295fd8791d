import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtpkitError } from '../../platform/errors.ts';
import { createLogger } from '../../platform/observability/logger.ts';
import { createMetrics, type Metrics } from '../../platform/observability/metrics.ts';
import type { Store } from '../../store/index.ts';
import { openSqliteStore } from '../../store/index.ts';
import { Database } from '../../store/sqlite/driver.ts';
import { manualClock } from '../../testing/harness.ts';
import {
  type CallEvent,
  type EventDeps,
  identifierAsGiven,
  outcomeOf,
  recordCall,
  recordEvent,
} from './recorder.ts';

const T0 = Date.UTC(2026, 0, 1);
const context = { ip: '203.0.113.7', host: 'shop.example', userAgent: 'ua' };
const dir = mkdtempSync(join(tmpdir(), 'otpkit-recorder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let file: string;
let store: Store;
let metrics: Metrics;
let lines: string[];
let deps: EventDeps;
let n = 0;

beforeEach(async () => {
  file = join(dir, `events-${n++}.db`);
  store = openSqliteStore(file);
  await store.migrate();
  const clock = manualClock(T0);
  metrics = createMetrics({ clock, queueStats: async () => ({ depth: 0, oldestPendingAt: null }) });
  lines = [];
  const log = createLogger({ level: 'error', destination: { write: (l) => lines.push(l) } });
  deps = { store, clock, log, metrics };
});
afterEach(() => store.close());

/** The database refuses every event row from now on (a trigger, as a full disk would). */
function breakEventLog(): void {
  const db = new Database(file);
  db.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON request_events
           BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
  db.close();
}

const sendEvent = (): CallEvent => ({
  kind: 'send',
  widgetId: 'w1',
  requestId: null,
  context,
  identifier: '919876543210',
});

const notRecorded = async (kind: string) => {
  const text = await metrics.render();
  const match = new RegExp(`^otpkit_events_not_recorded_total\\{kind="${kind}"\\} (\\d+)$`, 'm');
  return Number(match.exec(text)?.[1] ?? 0);
};

describe('recordCall', () => {
  it('records a success with outcome ok and the request id the call answered with', async () => {
    const result = await recordCall(deps, sendEvent(), async () => ({ reqId: 'r1' }));
    expect(result).toEqual({ reqId: 'r1' });
    expect(await store.events.listForRequest('r1')).toEqual([
      {
        requestId: 'r1',
        widgetId: 'w1',
        kind: 'send',
        outcome: 'ok',
        ip: context.ip,
        host: context.host,
        userAgent: context.userAgent,
        createdAt: T0,
      },
    ]);
  });

  it('records a refusal with its error code and rethrows the same error', async () => {
    const refusal = new OtpkitError('OTP_MISMATCH');
    const event = { ...sendEvent(), kind: 'verify' as const, requestId: 'r2' };
    await expect(
      recordCall(deps, event, async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect((await store.events.listForRequest('r2')).map((e) => [e.kind, e.outcome])).toEqual([
      ['verify', 'OTP_MISMATCH'],
    ]);
  });

  it('records an unexpected error as INTERNAL_ERROR', async () => {
    const event = { ...sendEvent(), requestId: 'r3' };
    await expect(
      recordCall(deps, event, async () => {
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
    expect((await store.events.listForRequest('r3'))[0]?.outcome).toBe('INTERNAL_ERROR');
  });

  it('writes nothing when the call recorded its event in its own store write', async () => {
    await recordCall(deps, { ...sendEvent(), requestId: 'r4' }, async (state) => {
      state.recorded = true;
      return { reqId: 'r4' };
    });
    expect(await store.events.listForRequest('r4')).toEqual([]);
  });

  it('reads the event after the call, so the call can name its kind and request meanwhile', async () => {
    const event: CallEvent = { ...sendEvent(), kind: 'retry' };
    await expect(
      recordCall(deps, event, async () => {
        event.kind = 'link-resent';
        event.requestId = 'r5';
        throw new OtpkitError('RETRY_TOO_SOON');
      }),
    ).rejects.toThrow();
    expect((await store.events.listForRequest('r5')).map((e) => [e.kind, e.outcome])).toEqual([
      ['link-resent', 'RETRY_TOO_SOON'],
    ]);
  });

  it('tells `settled` every outcome', async () => {
    const seen: string[] = [];
    const settled = (o: string) => seen.push(o);
    await recordCall(deps, sendEvent(), async () => ({ reqId: 'r6' }), settled);
    await recordCall(
      deps,
      sendEvent(),
      async () => {
        throw new OtpkitError('RATE_LIMITED');
      },
      settled,
    ).catch(() => {});
    expect(seen).toEqual(['ok', 'RATE_LIMITED']);
  });

  it('answers as it would when the database refuses the event row: logged and counted', async () => {
    breakEventLog();
    await expect(recordCall(deps, sendEvent(), async () => ({ reqId: 'r7' }))).resolves.toEqual({
      reqId: 'r7',
    });
    const refusal = new OtpkitError('TOKEN_ALREADY_VERIFIED');
    await expect(
      recordCall(deps, { ...sendEvent(), kind: 'verify-token' }, async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(await notRecorded('send')).toBe(1);
    expect(await notRecorded('verify-token')).toBe(1);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; kind: string; error: string });
    expect(logged.map((e) => [e.msg, e.kind])).toEqual([
      ['event not recorded', 'send'],
      ['event not recorded', 'verify-token'],
    ]);
    expect(logged[0]?.error).toContain('database or disk is full');
  });
});

describe('recordEvent', () => {
  it('never throws: a refused row is logged and counted', async () => {
    breakEventLog();
    await expect(recordEvent(deps, sendEvent(), 'ok')).resolves.toBeUndefined();
    expect(await notRecorded('send')).toBe(1);
  });
});

describe('identifierAsGiven', () => {
  it('keeps text and numbers, cut to 100 characters, and nothing else', () => {
    expect(identifierAsGiven(919876543210)).toBe('919876543210');
    expect(identifierAsGiven('x'.repeat(150))).toBe('x'.repeat(100));
    expect(identifierAsGiven({ toString: () => 'no' })).toBeNull();
    expect(identifierAsGiven(undefined)).toBeNull();
  });
});

describe('outcomeOf', () => {
  it("is an otpkit error's code, and INTERNAL_ERROR for any other error", () => {
    expect(outcomeOf(new OtpkitError('CAPTCHA_FAILED'))).toBe('CAPTCHA_FAILED');
    expect(outcomeOf(new Error('boom'))).toBe('INTERNAL_ERROR');
  });
});
