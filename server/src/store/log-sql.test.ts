/**
 * The log's encodings have one owner (log-sql.ts): the newest generated
 * migration of each engine is what that module generates, and the same
 * calls on both engines leave the same log columns and rollup rows, equal
 * to what the module's own functions compute.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel } from '@otpkit/protocol';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT, check, HOUR, message, request, settings, T0 } from './conformance/fixtures.ts';
import {
  CHANNEL_BITS,
  channelBit,
  LATENCY_BOUNDS_S,
  LATENCY_COLUMNS,
  latencyBin,
  logMigrationSql,
} from './log-sql.ts';
import { openPostgresStore } from './postgres/index.ts';
import { freshSchema, TEST_DATABASE_URL } from './postgres/test-database.ts';
import { Database } from './sqlite/driver.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './types.ts';

const ENGINES = ['sqlite', 'postgres'] as const;

describe('generated log migrations', () => {
  for (const engine of ENGINES) {
    it(`${engine}: the newest generated migration is what log-sql.ts generates`, () => {
      const dir = new URL(`./${engine}/migrations/`, import.meta.url);
      const generated = readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
        .filter((f) =>
          readFileSync(new URL(f, dir), 'utf8').includes('of server/src/store/log-sql.ts'),
        );
      expect(generated.length).toBeGreaterThan(0);
      expect(readFileSync(new URL(generated.at(-1)!, dir), 'utf8')).toBe(logMigrationSql(engine));
    });
  }

  it('bins a latency by the bounds, each bound starting the next bin', () => {
    expect(latencyBin(0)).toBe(0);
    expect(latencyBin(4_999)).toBe(0);
    expect(latencyBin(5_000)).toBe(1);
    expect(latencyBin(3_599_999)).toBe(LATENCY_BOUNDS_S.length - 1);
    expect(latencyBin(3_600_000)).toBe(LATENCY_BOUNDS_S.length);
    expect(LATENCY_COLUMNS).toHaveLength(15);
  });
});

/** Every bin, and each side of each bound. */
const LATENCIES = [0, ...LATENCY_BOUNDS_S.flatMap((s) => [s * 1000 - 1, s * 1000]), 5 * HOUR];
const CHANNELS = Object.keys(CHANNEL_BITS) as Channel[];

/** The same calls, in the same order, on either engine. */
async function writeTheSameRows(store: Store): Promise<void> {
  await store.accounts.ensureDefault(ACCOUNT, T0);
  await store.widgets.insert({
    id: 'w_1',
    accountId: ACCOUNT,
    settings: settings('Shop'),
    createdAt: T0,
    updatedAt: T0,
  });
  // A request per channel, its first message on that channel (the send path, on the hot statement).
  for (const [i, channel] of CHANNELS.entries()) {
    const r = request({ id: `ch-${channel}`, identifier: `id-${channel}`, channel });
    const sent = await store.otpRequests.send({
      limits: [],
      limitsNow: T0,
      pumping: null,
      request: r,
      message: message(r.id, { id: `m-${channel}`, channel, createdAt: T0 + i }),
      event: {
        widgetId: 'w_1',
        kind: 'send',
        ip: null,
        host: null,
        userAgent: null,
        createdAt: T0,
      },
    });
    expect(sent.kind).toBe('created');
  }
  // Later messages on other channels: a resend and a fallback.
  await store.otpRequests.recordResend(
    'ch-sms',
    'w_1',
    { channel: 'telegram', codeHash: 'h2', now: T0 + 40_000 },
    message('ch-sms', {
      id: 'm-sms-2',
      channel: 'telegram',
      purpose: 'retry',
      createdAt: T0 + 40_000,
    }),
  );
  await store.otpRequests.addFallback(
    'ch-whatsapp',
    { channel: 'voice', codeHash: 'h3', now: T0 + 41_000 },
    message('ch-whatsapp', {
      id: 'm-wa-2',
      channel: 'voice',
      purpose: 'fallback',
      createdAt: T0 + 41_000,
    }),
  );
  // Deliveries: sent then delivered, failed, sent and left.
  await store.messages.markSent('m-email', {
    provider: 'p',
    providerMessageId: 'pm-email',
    now: T0 + 100,
    fallbackAt: null,
  });
  await store.messages.report('p', 'pm-email', { status: 'delivered', now: T0 + 200 });
  await store.messages.markFailed('m-voice', {
    provider: 'p',
    error: 'refused',
    now: T0 + 100,
    fallbackAt: null,
  });
  await store.messages.markSent('m-wa-2', {
    provider: 'p',
    providerMessageId: 'pm-wa-2',
    now: T0 + 42_000,
    fallbackAt: null,
  });
  // No message at all (a passkey sign-in), a demo request, one in another hour and country.
  await store.otpRequests.create(request({ id: 'passkey', identifier: 'pk', channel: 'passkey' }));
  await store.otpRequests.create(
    request({ id: 'demo', identifier: 'demo', demo: true }),
    message('demo', { id: 'm-demo' }),
  );
  await store.otpRequests.create(
    request({ id: 'later', identifier: 'later', country: null, createdAt: T0 + HOUR }),
    message('later', { id: 'm-later', createdAt: T0 + HOUR }),
  );
  // A verification in every latency bin, on each side of each bound.
  for (const [i, ms] of LATENCIES.entries()) {
    const id = `lat-${i}`;
    await store.otpRequests.create(
      request({ id, identifier: id, channel: i % 2 ? 'email' : 'sms', expiresAt: T0 + 10 * HOUR }),
      message(id, { id: `m-${id}`, channel: i % 2 ? 'email' : 'sms' }),
    );
    await store.otpRequests.verify(check(id, { now: T0 + ms }));
  }
  await store.otpRequests.verify(check('demo', { now: T0 + 1_000 }));
  // A redeemed access token.
  await store.accessTokens.insert({
    jti: 'jti-1',
    requestId: 'lat-0',
    widgetId: 'w_1',
    identifier: 'lat-0',
    channel: 'sms',
    issuedAt: T0,
    expiresAt: T0 + HOUR,
    demo: false,
  });
  await store.accessTokens.markVerified('jti-1', T0 + 5_000);
}

const LOG_COLUMNS = `SELECT id, first_channel, log_channels, last_message_id, delivery_status, token_verified_at
  FROM otp_requests ORDER BY id`;
const ROLLUP = `SELECT widget_id, hour, channel, country, requests, sent, delivered, failed, verified,
  ${LATENCY_COLUMNS.join(', ')} FROM log_rollup ORDER BY widget_id, hour, channel, country`;

type Rows = Record<string, unknown>[];
/** Numbers as numbers (SQLite's and PostgreSQL's integer types read alike). */
const plain = (rows: Rows): Rows =>
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
    ),
  );

async function onSqlite(): Promise<{ log: Rows; rollup: Rows }> {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-log-sql-'));
  const file = join(dir, 'otpkit.db');
  const store = openSqliteStore(file);
  try {
    await store.migrate();
    await writeTheSameRows(store);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      return {
        log: plain(db.prepare(LOG_COLUMNS).all() as Rows),
        rollup: plain(db.prepare(ROLLUP).all() as Rows),
      };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const schemas: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of schemas) await s.drop();
});

async function onPostgres(): Promise<{ log: Rows; rollup: Rows }> {
  const fresh = freshSchema();
  schemas.push(fresh);
  const store = openPostgresStore(fresh.url);
  try {
    await store.migrate();
    await writeTheSameRows(store);
  } finally {
    await store.close();
  }
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${fresh.schema}`,
    // int8 columns (epoch milliseconds) as numbers, as the store reads them.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format),
    },
  });
  await client.connect();
  try {
    return {
      log: (await client.query(LOG_COLUMNS)).rows,
      rollup: (await client.query(ROLLUP)).rows,
    };
  } finally {
    await client.end();
  }
}

describe('the engines agree on the log columns and the rollup', () => {
  it('the same calls leave the same rows, as log-sql.ts encodes them', async () => {
    const sqlite = await onSqlite();
    const postgres = await onPostgres();
    expect(postgres.log).toEqual(sqlite.log);
    expect(postgres.rollup).toEqual(sqlite.rollup);

    const log = new Map(sqlite.log.map((r) => [r.id, r]));
    // A request's bits: its own channel's and each of its messages'.
    for (const c of CHANNELS) {
      expect(log.get(`ch-${c}`)).toMatchObject({ first_channel: c });
    }
    expect(log.get('ch-sms')).toMatchObject({
      log_channels: CHANNEL_BITS.sms | CHANNEL_BITS.telegram,
      last_message_id: 'm-sms-2',
      delivery_status: 'pending',
    });
    expect(log.get('ch-whatsapp')).toMatchObject({
      log_channels: CHANNEL_BITS.whatsapp | CHANNEL_BITS.voice,
      last_message_id: 'm-wa-2',
      delivery_status: 'sent',
    });
    expect(log.get('ch-email')).toMatchObject({ delivery_status: 'delivered' });
    expect(log.get('ch-voice')).toMatchObject({ delivery_status: 'failed' });
    expect(log.get('ch-telegram')).toMatchObject({ log_channels: CHANNEL_BITS.telegram });
    expect(log.get('passkey')).toMatchObject({
      log_channels: channelBit('passkey'),
      last_message_id: null,
      delivery_status: null,
    });
    expect(log.get('lat-0')).toMatchObject({ token_verified_at: T0 + 5_000 });

    // The histogram: each verification in the bin latencyBin gives it; the demo one nowhere.
    const expected = new Array(LATENCY_COLUMNS.length).fill(0);
    for (const ms of LATENCIES) expected[latencyBin(ms)]++;
    const hour = sqlite.rollup.filter((r) => r.hour === T0);
    const sums = LATENCY_COLUMNS.map((c) => hour.reduce((n, r) => n + (r[c] as number), 0));
    expect(sums).toEqual(expected);
    expect(hour.reduce((n, r) => n + (r.verified as number), 0)).toBe(LATENCIES.length);
    expect(sqlite.rollup.find((r) => r.hour === T0 + HOUR)).toMatchObject({
      country: '',
      requests: 1,
    });
  }, 60_000);
});
