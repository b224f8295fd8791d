/**
 * deploy/compose.yaml against the Compose Specification's JSON schema
 * (vendored in deploy/schema/), and against what the README's "Running
 * several instances" asks every instance to share.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const deploy = new URL('../../../deploy/', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/compose-spec.json', deploy), 'utf8'));
// Draft 07 is Ajv's default; its meta-schema is named by an https URL Ajv does not know.
delete schema.$schema;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}
// Compose resolves YAML merge keys (`<<: *otpkit`), as `merge: true` does.
const compose = parse(readFileSync(new URL('compose.yaml', deploy), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('deploy/compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema catches a broken file (the check is not vacuous)', () => {
    const broken = structuredClone(compose);
    (broken.services['otpkit-1'] as Record<string, unknown>).restart_policy = 'always';
    (broken.services.db as Record<string, unknown>).ports = 5432;
    expect(validate(broken)).toBe(false);
  });

  it('runs two otpkit instances with the same environment on PostgreSQL and Redis, behind Caddy', () => {
    const { services } = compose;
    const instances = Object.entries(services).filter(
      ([, s]) => s.image === 'otpkit:latest' && s.command === undefined,
    );
    expect(instances.map(([name]) => name)).toEqual(['otpkit-1', 'otpkit-2']);
    const [[, one], [, two]] = instances as [[string, Service], [string, Service]];
    expect(two.environment).toEqual(one.environment);
    const env = one.environment!;
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/otpkit:.*@db:5432\/otpkit$/);
    expect(env.REDIS_URL).toBe('redis://cache:6379');
    expect(env.OTPKIT_PUBLIC_URL).toMatch(/^https:\/\//);
    for (const name of ['OTPKIT_SECRET', 'OTPKIT_AUTHKEY', 'OTPKIT_METRICS_TOKEN']) {
      // Required from the operator's .env, never a default in the file.
      expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
    expect(env.OTPKIT_TRUST_PROXY).toBe('1');
    expect(services.db?.image).toMatch(/^postgres:/);
    expect(services.cache?.image).toMatch(/^redis:/);
    expect(services.caddy?.image).toMatch(/^caddy:/);
    expect(services.caddy?.depends_on).toEqual(['otpkit-1', 'otpkit-2']);
    // `otpkit migrate` runs once, before both instances.
    expect(services.migrate?.command).toEqual(['otpkit', 'migrate']);
    expect(one.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
    });
    const caddyfile = readFileSync(new URL('Caddyfile', deploy), 'utf8');
    expect(caddyfile).toMatch(/reverse_proxy otpkit-1:8787 otpkit-2:8787/);
  });
});
