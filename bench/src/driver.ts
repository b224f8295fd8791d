/**
 * The PostgreSQL driver, by measurement: otpkit's three hot statements (a
 * send, a right code's verification with its access token, the token's
 * redemption), issued by the store's own functions
 * (server/src/store/postgres/operations.ts, so the same SQL, parameters and
 * row mapping), through `pg` (node-postgres, what the store uses) and through
 * `postgres` (porsager's, which pipelines queries on its connections).
 *
 *   pnpm bench:driver [--seconds=5] [--connections=32] [--turns=3]
 *
 * Both get the same pool size (10, the store's default), the same number of
 * concurrent flows (`--connections`, 32 like the HTTP load), prepared
 * statements, and int8 read as numbers. Turns alternate (pg, postgres, pg…)
 * after a warm-up turn each, on a fresh schema of `BENCH_POSTGRES_URL`.
 * Reported per turn and as medians: flows/s, this process's CPU per flow (the
 * driver's work, plus the store's row mapping, the same for both) and the
 * PostgreSQL backends' CPU per flow.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import postgres from 'postgres';
import { openPool, type Queryable } from '../../server/src/store/postgres/db.ts';
import { openPostgresStore } from '../../server/src/store/postgres/index.ts';
import { redeem, send, verify } from '../../server/src/store/postgres/operations.ts';
import { value } from './options.ts';
import { PostgresBackends } from './postgres-cpu.ts';

const BASE_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(value('seconds') ?? 5);
const concurrency = Number(value('connections') ?? 32);
const turns = Number(value('turns') ?? 3);
const POOL = 10;

const schema = `otpkit_driver_${randomBytes(5).toString('hex')}`;
const schemaUrl = new URL(BASE_URL);
schemaUrl.searchParams.set('schema', schema);

type Driver = 'pg' | 'postgres';
interface Opened {
  db: Queryable;
  close(): Promise<void>;
}

function open(driver: Driver, appName: string): Opened {
  if (driver === 'pg') {
    const pool = openPool({
      connectionString: BASE_URL,
      schema,
      options: `-c application_name=${appName}`,
      // The statements below are issued without the relaxed item: every commit waits.
      commit: 'durable',
    });
    return { db: pool, close: () => pool.end() };
  }
  const sql = postgres(BASE_URL, {
    max: POOL,
    prepare: true,
    onnotice: () => undefined,
    connection: { application_name: appName, search_path: schema },
    types: {
      // int8 and numeric as numbers, as the store's pg pool reads them.
      int8: { to: 20, from: [20, 1700], serialize: String, parse: Number },
      // The store hands json parameters over as JSON text (node-postgres sends strings as they
      // are); porsager's driver would JSON-encode that text again.
      json: {
        to: 114,
        from: [114, 3802],
        serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)),
        parse: (x: string) => JSON.parse(x),
      },
    },
  });
  // The store's Queryable is node-postgres's `query({ name, text, values })`; this is the same
  // call on porsager's driver (its own statement cache replaces the name).
  const db = {
    async query(q: { text: string; values: unknown[] }) {
      const rows = await sql.unsafe(q.text, q.values as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      });
      return { rows, rowCount: rows.count };
    },
  };
  return { db: db as unknown as Queryable, close: () => sql.end() };
}

let n = 0;
/** One complete flow's statements, as the store issues them. */
async function flow(db: Queryable): Promise<void> {
  const now = Date.now();
  const id = `r_${process.pid}_${++n}_${randomBytes(4).toString('hex')}`;
  const identifier = `9198${String(n).padStart(8, '0')}`;
  const hash = randomBytes(16).toString('base64url');
  const limits = [
    { key: 'otpkit:send_ip:127.0.0.1', points: 1e9, seconds: 3600 },
    { key: `otpkit:send_id:w_1:${identifier}`, points: 1e9, seconds: 3600 },
    { key: 'otpkit:send_country:w_1:IN', points: 1e9, seconds: 3600 },
    { key: 'otpkit:send_widget:w_1', points: 1e9, seconds: 3600 },
  ];
  const event = {
    widgetId: 'w_1',
    ip: '127.0.0.1',
    host: 'localhost',
    userAgent: 'bench',
    createdAt: now,
  };
  const sent = await send(db, {
    limits,
    limitsNow: now,
    pumping: { widgetId: 'w_1', country: 'IN', hour: now - (now % 3_600_000), ceiling: 1e12 },
    request: {
      id,
      verificationType: 'otp',
      widgetId: 'w_1',
      identifier,
      contactPoint: 'mobile',
      channel: 'sms',
      codeHashes: [hash],
      maxAttempts: 3,
      maxResends: 2,
      resendIntervalMs: 30_000,
      ttlMs: 600_000,
      lastSentAt: now,
      expiresAt: now + 600_000,
      ip: '127.0.0.1',
      host: 'localhost',
      userAgent: 'bench',
      variables: {},
      demo: false,
      country: 'IN',
      language: 'en',
      guessOwner: `a_1:${identifier}`,
      createdAt: now,
    },
    message: {
      id: `m_${id}`,
      requestId: id,
      widgetId: 'w_1',
      channel: 'sms',
      purpose: 'send',
      recipient: `+${identifier}`,
      payload: 'sealed',
      createdAt: now,
    },
    event: { ...event, kind: 'send', identifier },
  });
  if (sent.kind !== 'created') throw new Error(`send: ${sent.kind}`);
  const jti = `t_${id}`;
  const verified = await verify(db, {
    limits: [{ key: 'otpkit:verify_ip:127.0.0.1', points: 1e9, seconds: 600 }],
    limitsNow: now,
    id,
    widgetId: 'w_1',
    now,
    candidates: [hash],
    guess: { keyPrefix: 'otpkit:guess:', points: 1e6, seconds: 3600 },
    token: { jti, issuedAt: now, expiresAt: now + 300_000 },
    event: { ...event, kind: 'verify' },
  });
  if (verified.kind !== 'verified') throw new Error(`verify: ${verified.kind}`);
  const redeemed = await redeem(db, jti, now, { ...event, requestId: id, kind: 'verify-token' });
  if (!redeemed) throw new Error('redeem: no token');
}

interface Turn {
  driver: Driver;
  flows: number;
  flowsPerS: number;
  clientUs: number;
  dbUs: number;
}

async function turn(driver: Driver, turnSeconds: number, index: number): Promise<Turn> {
  const appName = `otpkit_driver_${driver}_${index}`;
  const { db, close } = open(driver, appName);
  // Every connection open (and its statements prepared) before metering.
  await Promise.all(Array.from({ length: POOL * 2 }, () => flow(db)));
  const backends = new PostgresBackends(BASE_URL, [appName]);
  await backends.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + turnSeconds * 1000;
  let flows = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await flow(db);
        flows++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const dbMs = await backends.cpuMs();
  await backends.stop();
  await close();
  return {
    driver,
    flows,
    flowsPerS: flows / elapsed,
    clientUs: (cpu.user + cpu.system) / flows,
    dbUs: (dbMs * 1000) / flows,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const store = openPostgresStore(schemaUrl.toString());
try {
  await store.migrate();
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(
    `INSERT INTO ${schema}.accounts (id, name, created_at) VALUES ('a_1', 'bench', 0);
     INSERT INTO ${schema}.widgets (id, account_id, settings, created_at, updated_at) VALUES ('w_1', 'a_1', '{}', 0, 0)`,
  );
  await admin.end();
  const results: Turn[] = [];
  let index = 0;
  // A short warm-up turn each, not reported.
  for (const d of ['pg', 'postgres'] as const) await turn(d, 1, index++);
  for (let t = 0; t < turns; t++) {
    for (const d of ['pg', 'postgres'] as const) {
      const r = await turn(d, seconds, index++);
      results.push(r);
      console.log(
        `${d.padEnd(8)} ${r.flows} flows, ${r.flowsPerS.toFixed(0)} flows/s, client CPU ${r.clientUs.toFixed(0)} µs/flow, PostgreSQL CPU ${r.dbUs.toFixed(0)} µs/flow`,
      );
    }
  }
  const of = (d: Driver, k: 'flowsPerS' | 'clientUs' | 'dbUs') =>
    median(results.filter((r) => r.driver === d).map((r) => r[k]));
  console.log(
    `\nmedians of ${turns} turns (${seconds} s, ${concurrency} concurrent flows, pool ${POOL}):`,
  );
  console.log('| driver | flows/s | client CPU µs/flow | PostgreSQL CPU µs/flow |');
  console.log('| --- | --- | --- | --- |');
  for (const d of ['pg', 'postgres'] as const) {
    console.log(
      `| ${d} | ${of(d, 'flowsPerS').toFixed(0)} | ${of(d, 'clientUs').toFixed(0)} | ${of(d, 'dbUs').toFixed(0)} |`,
    );
  }
  console.log(
    `postgres ÷ pg: ${(of('postgres', 'flowsPerS') / of('pg', 'flowsPerS')).toFixed(2)}× flows/s, ${(of('postgres', 'clientUs') / of('pg', 'clientUs')).toFixed(2)}× client CPU per flow`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await store.close();
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
