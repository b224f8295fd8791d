import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server.ts';
import { ConfigError, checkConfig, ENV_VARIABLES, loadConfig, SLICES } from './index.ts';

const DEV = { NODE_ENV: 'development' };
const strong = () => randomBytes(32).toString('base64');
/** A production environment that passes every production check. */
const production = () => ({
  NODE_ENV: 'production',
  OTPKIT_PUBLIC_URL: 'https://otp.example.com',
  OTPKIT_SECRET: strong(),
  OTPKIT_METRICS_TOKEN: strong(),
});
const problemsOf = (env: Record<string, string>) => {
  const check = checkConfig(env);
  return check.ok ? {} : Object.fromEntries(check.problems.map((p) => [p.variable, p.message]));
};

describe('loadConfig', () => {
  it('runs in production unless development is asked for', () => {
    expect(() => loadConfig({})).toThrow(/OTPKIT_PUBLIC_URL: required in production/);
    expect(() => loadConfig({})).toThrow(/runs in production mode unless NODE_ENV=development/);
    expect(loadConfig(production()).env).toBe('production');
    expect(loadConfig(DEV).env).toBe('development');
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(
      /NODE_ENV: must be production, development or test/,
    );
  });

  it('has working defaults for development', () => {
    const config = loadConfig(DEV);
    expect(config).toMatchObject({
      env: 'development',
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/otpkit.db',
      publicUrl: 'http://localhost:8787',
      devOutbox: true,
      dataDir: './data',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable', () => {
    expect(() =>
      loadConfig({
        ...DEV,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        OTPKIT_PUBLIC_URL: 'ftp://x',
      }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*OTPKIT_PUBLIC_URL/);
    expect(() => loadConfig({ ...DEV, OTPKIT_SECRET: 'short' })).toThrow(
      /OTPKIT_SECRET: must be at least 32/,
    );
  });

  it('accepts PostgreSQL and Redis URLs for several instances', () => {
    const config = loadConfig({
      ...DEV,
      DATABASE_URL: 'postgres://otpkit:pw@db:5432/otpkit?schema=otpkit',
      REDIS_URL: 'redis://cache:6379',
      OTPKIT_REDIS_PREFIX: 'shop-eu',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://otpkit:pw@db:5432/otpkit?schema=otpkit',
      redisUrl: 'redis://cache:6379',
      redisPrefix: 'shop-eu',
    });
    expect(loadConfig(DEV).redisPrefix).toBe('otpkit');
    expect(() => loadConfig({ ...DEV, DATABASE_URL: 'postgres:/x' })).toThrow(
      /DATABASE_URL: must be/,
    );
    expect(() =>
      loadConfig({ ...DEV, DATABASE_URL: 'postgres://otpkit@db:5432/otpkit?commit=sometimes' }),
    ).toThrow(/DATABASE_URL: \?commit= must be relaxed or durable/);
    for (const commit of ['relaxed', 'durable']) {
      const url = `postgres://otpkit@db:5432/otpkit?commit=${commit}`;
      expect(loadConfig({ ...DEV, DATABASE_URL: url }).databaseUrl).toBe(url);
    }
    expect(() => loadConfig({ ...DEV, OTPKIT_REDIS_PREFIX: 'a b' })).toThrow(/OTPKIT_REDIS_PREFIX/);
  });

  it('requires a secret in production and keeps the outbox off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /OTPKIT_SECRET: required in production/,
    );
    expect(loadConfig(production())).toMatchObject({
      devOutbox: false,
      host: '0.0.0.0',
      publicUrl: 'https://otp.example.com',
      allowAnyOrigin: false,
    });
    expect(() => loadConfig({ ...production(), OTPKIT_DEV_OUTBOX: 'true' })).toThrow(
      /OTPKIT_DEV_OUTBOX/,
    );
  });

  it('requires a metrics token in production, and reads the log level and shutdown timings', () => {
    expect(() =>
      loadConfig({ ...production(), OTPKIT_METRICS_TOKEN: undefined as unknown as string }),
    ).toThrow(/OTPKIT_METRICS_TOKEN: required in production/);
    expect(() => loadConfig({ ...DEV, OTPKIT_METRICS_TOKEN: 'short' })).toThrow(
      /OTPKIT_METRICS_TOKEN: must be at least 16/,
    );
    expect(() => loadConfig({ ...DEV, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of/);
    expect(loadConfig(DEV)).toMatchObject({
      metricsToken: undefined,
      logLevel: 'info',
      shutdown: { delaySeconds: 0, timeoutSeconds: 30 },
    });
    expect(
      loadConfig({
        ...DEV,
        LOG_LEVEL: 'debug',
        OTPKIT_SHUTDOWN_DELAY_SECONDS: '5',
        OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: '10',
      }),
    ).toMatchObject({ logLevel: 'debug', shutdown: { delaySeconds: 5, timeoutSeconds: 10 } });
  });

  it('refuses guessable secrets in production, naming the variable and how to make one', () => {
    const weak = {
      ...production(),
      OTPKIT_SECRET: 'a'.repeat(40),
      OTPKIT_AUTHKEY: 'changeme-changeme-changeme',
      OTPKIT_METRICS_TOKEN: 'abcabcabcabcabcabcabcabc',
      OTPKIT_WEBHOOK_URL: 'https://gateway.example/send',
      OTPKIT_WEBHOOK_SECRET: 'webhook-secret-0123456789',
    };
    const problems = problemsOf(weak);
    expect(Object.keys(problems).sort()).toEqual([
      'OTPKIT_AUTHKEY',
      'OTPKIT_METRICS_TOKEN',
      'OTPKIT_SECRET',
      'OTPKIT_WEBHOOK_SECRET',
    ]);
    expect(problems.OTPKIT_SECRET).toMatch(/one character repeated/);
    expect(problems.OTPKIT_METRICS_TOKEN).toMatch(/a short pattern repeated/);
    for (const message of Object.values(problems)) {
      expect(message).toMatch(/at least 128 are needed/);
      expect(message).toContain('openssl rand -base64 32');
      // The value itself is never repeated back.
      for (const value of Object.values(weak))
        if (value.length > 16) expect(message).not.toContain(value);
    }
    // The same values are fine for development, and strong ones for production.
    expect(problemsOf({ ...weak, NODE_ENV: 'development' })).toEqual({});
    expect(
      problemsOf({
        ...weak,
        OTPKIT_SECRET: strong(),
        OTPKIT_AUTHKEY: `otpk_${randomBytes(32).toString('base64url')}`,
        OTPKIT_METRICS_TOKEN: randomBytes(24).toString('hex'),
        OTPKIT_WEBHOOK_SECRET: strong(),
      }),
    ).toEqual({});
  });

  it("reads every variable it declares into Config (but the launcher's own)", () => {
    // Every variable set (its example or default where it has one), so no read stops early.
    const values = Object.fromEntries(
      ENV_VARIABLES.map(({ name, schema, meta }) => {
        const parsed = schema.safeParse(meta.example);
        return [name, parsed.success && parsed.data !== undefined ? parsed.data : 'set'];
      }),
    );
    const read = new Set<string>();
    const env = new Proxy(values, {
      get: (target, key: string) => {
        read.add(key);
        return target[key];
      },
    });
    for (const slice of SLICES) (slice.read as (e: unknown, p: unknown[]) => object)(env, []);
    const unread = ENV_VARIABLES.map((v) => v.name).filter((name) => !read.has(name));
    expect(unread).toEqual(['OTPKIT_FROM_SOURCE']);
  });

  it("checks in production what each variable's metadata demands, and nothing else", () => {
    const required = ENV_VARIABLES.filter((v) => v.meta.production?.required).map((v) => v.name);
    const strong = ENV_VARIABLES.filter((v) => v.meta.production?.strong).map((v) => v.name);
    expect(required).toEqual(['OTPKIT_PUBLIC_URL', 'OTPKIT_SECRET', 'OTPKIT_METRICS_TOKEN']);
    expect(strong).toEqual([
      'OTPKIT_SECRET',
      'OTPKIT_AUTHKEY',
      'OTPKIT_WEBHOOK_SECRET',
      'OTPKIT_METRICS_TOKEN',
    ]);
    for (const name of required) {
      const problems = problemsOf({ ...production(), [name]: '' });
      expect(Object.keys(problems), name).toEqual([name]);
      expect(problems[name]).toMatch(/^required in production/);
    }
    for (const name of strong) {
      const problems = problemsOf({ ...production(), [name]: 'x'.repeat(40) });
      expect(problems[name], name).toMatch(/^too easy to guess for production: it is one charac/);
    }
    // Outside production the same values pass their schemas and nothing else is asked of them.
    const weak = Object.fromEntries(strong.map((name) => [name, 'x'.repeat(40)]));
    expect(problemsOf({ ...DEV, ...weak, OTPKIT_WEBHOOK_URL: 'https://gw.example/send' })).toEqual(
      {},
    );
  });

  it('reads the HTTP timeouts and the connection cap', () => {
    expect(loadConfig(DEV).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 2048,
    });
    expect(
      loadConfig({
        ...DEV,
        OTPKIT_HEADERS_TIMEOUT_SECONDS: '2.5',
        OTPKIT_REQUEST_TIMEOUT_SECONDS: '4',
        OTPKIT_KEEP_ALIVE_TIMEOUT_SECONDS: '65',
        OTPKIT_MAX_CONNECTIONS: '100',
      }).http,
    ).toEqual({
      headersTimeoutMs: 2500,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 100,
    });
    expect(() =>
      loadConfig({
        ...DEV,
        OTPKIT_HEADERS_TIMEOUT_SECONDS: '20',
        OTPKIT_REQUEST_TIMEOUT_SECONDS: '10',
      }),
    ).toThrow(/OTPKIT_REQUEST_TIMEOUT_SECONDS: must be at least OTPKIT_HEADERS_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ ...DEV, OTPKIT_MAX_CONNECTIONS: '0' })).toThrow(
      /OTPKIT_MAX_CONNECTIONS/,
    );
  });

  it('lets browsers use widgets without allowedOrigins only outside production or when told', () => {
    expect(loadConfig(DEV).allowAnyOrigin).toBe(true);
    expect(loadConfig(production()).allowAnyOrigin).toBe(false);
    expect(loadConfig({ ...production(), OTPKIT_ALLOW_ANY_ORIGIN: 'true' }).allowAnyOrigin).toBe(
      true,
    );
  });

  it('refuses to start in production without a delivery provider', async () => {
    await expect(
      startServer({
        env: { ...production(), DATABASE_URL: 'sqlite::memory:' },
      }),
    ).rejects.toThrow(/No delivery provider is configured/);
    // A gateway alone is a delivery provider.
    const running = await startServer({
      env: {
        ...production(),
        DATABASE_URL: 'sqlite::memory:',
        PORT: '0',
        OTPKIT_POSTMARK_SERVER_TOKEN: strong(),
        OTPKIT_POSTMARK_FROM: 'Acme <no-reply@acme.example>',
      },
    });
    expect(running.config.providers.postmark?.from).toBe('Acme <no-reply@acme.example>');
    await running.close();
  });
});
