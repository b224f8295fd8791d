/**
 * Fresh PostgreSQL schemas for tests, in the database `OTPKIT_TEST_DATABASE_URL`
 * names (default the local `test` database, trust auth).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { request } from '../conformance/fixtures.ts';
import type { NewOtpRequest } from '../types.ts';

/** The database tests use. */
export const TEST_DATABASE_URL =
  process.env.OTPKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A `DATABASE_URL` for a new, unique schema (created by `migrate`), and how to drop it. */
export function freshSchema(): { url: string; schema: string; drop(): Promise<void> } {
  const schema = `otpkit_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

// Tables that reference others come first.
const DELETE_FIRST = [
  'magic_links',
  'deliveries',
  'messages',
  'otp_requests',
  'widget_tokens',
  'templates',
  'widgets',
  'authkeys',
];

/**
 * Empties every table of a migrated schema but its migration record and the
 * read cache's generation (DELETE: much faster than TRUNCATE on tables this small).
 */
export async function emptySchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename NOT IN ('schema_migrations', 'otpkit_cache_generation')",
      [schema],
    );
    const rest = rows.map((r) => r.tablename).filter((t) => !DELETE_FIRST.includes(t));
    await client.query(
      [...DELETE_FIRST, ...rest].map((t) => `DELETE FROM ${schema}.${t};`).join(' '),
    );
  } finally {
    await client.end();
  }
}

/**
 * A pending code request of widget `w_1` for an Indian mobile number, created at `createdAt`:
 * the conformance suite's (../conformance/fixtures.ts) with no client details or variables.
 */
export function testRequest(
  id: string,
  createdAt: number,
  overrides: Partial<NewOtpRequest> = {},
): NewOtpRequest {
  return request({
    id,
    lastSentAt: createdAt,
    expiresAt: createdAt + 600_000,
    ip: null,
    host: null,
    userAgent: null,
    variables: {},
    guessOwner: 'acct:919876543210',
    createdAt,
    ...overrides,
  });
}
