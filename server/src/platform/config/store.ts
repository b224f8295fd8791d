/** The database, the files kept beside it, and how long the log keeps its entries. */
import { z } from 'zod';
import { type ConfigSlice, type EnvOf, envMeta } from './slice.ts';

/** The values of a PostgreSQL `DATABASE_URL`'s `?commit=` (store/postgres/db.ts). */
export const PG_COMMIT_MODES = ['relaxed', 'durable'] as const;

/** Whether a PostgreSQL URL's `?commit=`, if any, is one of `PG_COMMIT_MODES`. */
function knownCommitMode(databaseUrl: string): boolean {
  if (!databaseUrl.startsWith('postgres')) return true;
  try {
    const mode = new URL(databaseUrl).searchParams.get('commit');
    return mode === null || (PG_COMMIT_MODES as readonly string[]).includes(mode);
  } catch {
    return true; // A malformed URL is the regex's to report, and parsePgUrl's.
  }
}

const env = {
  DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
      'must be sqlite:<path of the database file> or postgres://user:password@host:5432/database',
    )
    .refine(knownCommitMode, '?commit= must be relaxed or durable')
    .default('sqlite:./data/otpkit.db')
    .register(envMeta, {
      example: 'postgres://otpkit:password@db:5432/otpkit?schema=otpkit',
      description:
        'The database: `sqlite:` and the path of a SQLite file (WAL mode; `sqlite::memory:` for tests) for one machine, or PostgreSQL for several instances. `?schema=NAME` keeps the tables in that schema (created by `otpkit migrate`); `?commit=relaxed` (default) lets sends, code checks, rate-limit counts and the delivery worker’s claim and batch commit without waiting for the WAL flush, `?commit=durable` makes them wait as the server’s settings say (README, PostgreSQL: what a database crash or failover may lose); `?options=` sets server settings per connection (e.g. `-c synchronous_commit=off`); other parameters (`sslmode`, …) go to node-postgres.',
      allowed: '`sqlite:<path>`, `postgres://user:password@host:5432/db`',
      secret: true,
    }),
  OTPKIT_DATA_DIR: z.string().min(1).optional().register(envMeta, {
    description: 'Where development writes `demo-widget.json`.',
    defaultText: "the database file's folder",
    allowed: 'a folder path',
  }),
  OTPKIT_LOG_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1, 'must be 1 to 3650 days')
    .max(3650, 'must be 1 to 3650 days')
    .default(90)
    .register(envMeta, {
      description:
        "Days an OTP request's log entry (with its messages, delivery attempts, access tokens and widget API calls) is kept; an hourly job purges older ones.",
    }),
};

/** The database's slice: `databaseUrl`, `dataDir` and `logRetentionDays`. */
export const store = {
  title: 'Database',
  env,
  read: (e: EnvOf<typeof env>) => ({
    databaseUrl: e.DATABASE_URL,
    /** Folder for files the server writes beside its database (demo widget credentials). */
    dataDir: e.OTPKIT_DATA_DIR ?? dataDirOf(e.DATABASE_URL),
    /** Days a log entry (an OTP request and what was recorded about it) is kept. */
    logRetentionDays: e.OTPKIT_LOG_RETENTION_DAYS,
  }),
} satisfies ConfigSlice;

function dataDirOf(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return './data';
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === ':memory:') return './data';
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash) || '/';
}
