import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { type LoadGenerator, type ServerProcess, startServerProcess } from './children.ts';
import { AUTHKEY, log, nodeFlags, OTPKIT_SECRET, otpkitBin, WEBHOOK_SECRET } from './options.ts';

export const PG_SCHEMA = `otpkit_bench_${process.pid}_${Date.now()}`;

/**
 * Each run starts from an empty database: a temporary SQLite file, or a PostgreSQL schema of its own.
 * On PostgreSQL each otpkit instance names its connections (`application_name`), so that its
 * backends' CPU can be read from /proc.
 */
export function engineUrl(engine: string, dir: string, appName: string = PG_APP_NAMES[0]): string {
  if (engine === 'sqlite') return `sqlite:${join(dir, 'otpkit.db')}`;
  if (engine === 'postgres') {
    const url = new URL(postgresBase());
    url.searchParams.set('schema', PG_SCHEMA);
    url.searchParams.set('options', `-c application_name=${appName}`);
    return url.toString();
  }
  throw new Error(`unknown engine ${engine} (sqlite or postgres)`);
}

/** The `application_name` of each otpkit instance's PostgreSQL connections (the pair row runs two). */
export const PG_APP_NAMES = [
  `otpkit_bench_${process.pid}_a`,
  `otpkit_bench_${process.pid}_b`,
] as const;

export function postgresBase(): string {
  return process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Drops the run's PostgreSQL schema (if the adapter created one). */
export async function dropPostgresSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresBase() });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  } catch (error) {
    log(`  could not drop schema ${PG_SCHEMA}: ${String(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startOtpkit(
  engine: string,
  dir: string,
  receiverUrl: string,
  options: { appName?: string; profileDir?: string; bin?: string } = {},
): Promise<ServerProcess> {
  const nodeArgs = [
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
    ...nodeFlags,
    options.bin ?? otpkitBin,
    'serve',
  ];
  return startServerProcess(nodeArgs, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: engineUrl(engine, dir, options.appName),
    OTPKIT_DATA_DIR: dir,
    OTPKIT_SECRET,
    OTPKIT_AUTHKEY: AUTHKEY,
    OTPKIT_METRICS_TOKEN: randomBytes(32).toString('base64url'),
    // Required in production; only the token issuer and report URLs name it (nothing fetches it).
    OTPKIT_PUBLIC_URL: 'http://otpkit.bench.invalid',
    OTPKIT_WEBHOOK_URL: receiverUrl,
    OTPKIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OTPKIT_WEBHOOK_CHANNELS: 'sms,email',
    // One load generator on one IP sends hundreds of thousands of codes: production limits
    // (30 sends per IP an hour, 2000 per widget, …) would rightly stop it after a few.
    OTPKIT_LIMIT_IP: '1000000000/3600',
    OTPKIT_LIMIT_WIDGET: '1000000000/3600',
    OTPKIT_LIMIT_COUNTRY: '1000000000/3600',
    OTPKIT_LIMIT_VERIFY_IP: '1000000000/600',
    // Every verifyAccessToken comes from the one load generator too (1200 a minute by default).
    OTPKIT_LIMIT_AUTH_IP: '1000000000/60',
    OTPKIT_PUMPING_MIN: '1000000000',
  });
}

export async function createWidget(url: string): Promise<{ widgetId: string; tokenAuth: string }> {
  const res = await fetch(`${url}/api/v1/widgets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authkey: AUTHKEY },
    // No captcha: the bench measures the OTP flow, not a browser solving proof of work.
    body: JSON.stringify({
      name: 'bench',
      contactPoints: ['mobile', 'email'],
      captcha: { provider: 'none' },
    }),
  });
  if (!res.ok) throw new Error(`creating the bench widget: ${res.status} ${await res.text()}`);
  // Only the credentials: any other key of a send's body is a template variable.
  const { widgetId, tokenAuth } = (await res.json()) as { widgetId: string; tokenAuth: string };
  return { widgetId, tokenAuth };
}

/** Polls the load generator until `expected` codes were delivered or none arrived for 5 s. */
export async function waitForDeliveries(load: LoadGenerator, expected: number): Promise<number> {
  let last = -1;
  let still = 0;
  for (;;) {
    const { pending } = await load.run({ kind: 'status' });
    if (pending >= expected) return pending;
    still = pending === last ? still + 1 : 0;
    if (still >= 10) return pending;
    last = pending;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
