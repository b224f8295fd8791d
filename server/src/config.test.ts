import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
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
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', OTPKIT_PUBLIC_URL: 'ftp://x' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*OTPKIT_PUBLIC_URL/);
    expect(() => loadConfig({ OTPKIT_SECRET: 'short' })).toThrow(
      /OTPKIT_SECRET: must be at least 32/,
    );
  });

  it('accepts PostgreSQL and Redis URLs for several instances', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://otpkit:pw@db:5432/otpkit?schema=otpkit',
      REDIS_URL: 'redis://cache:6379',
      OTPKIT_REDIS_PREFIX: 'shop-eu',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://otpkit:pw@db:5432/otpkit?schema=otpkit',
      redisUrl: 'redis://cache:6379',
      redisPrefix: 'shop-eu',
    });
    expect(loadConfig({}).redisPrefix).toBe('otpkit');
    expect(() => loadConfig({ DATABASE_URL: 'postgres:/x' })).toThrow(/DATABASE_URL: must be/);
    expect(() => loadConfig({ OTPKIT_REDIS_PREFIX: 'a b' })).toThrow(/OTPKIT_REDIS_PREFIX/);
  });

  it('requires a secret in production and keeps the outbox off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /OTPKIT_SECRET: required in production/,
    );
    const secret = 'a'.repeat(40);
    const metrics = 'm'.repeat(24);
    expect(
      loadConfig({ NODE_ENV: 'production', OTPKIT_SECRET: secret, OTPKIT_METRICS_TOKEN: metrics }),
    ).toMatchObject({
      devOutbox: false,
      host: '0.0.0.0',
    });
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        OTPKIT_SECRET: secret,
        OTPKIT_METRICS_TOKEN: metrics,
        OTPKIT_DEV_OUTBOX: 'true',
      }),
    ).toThrow(/OTPKIT_DEV_OUTBOX/);
  });

  it('requires a metrics token in production, and reads the log level and shutdown timings', () => {
    const secret = 'a'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', OTPKIT_SECRET: secret })).toThrow(
      /OTPKIT_METRICS_TOKEN: required in production/,
    );
    expect(() => loadConfig({ OTPKIT_METRICS_TOKEN: 'short' })).toThrow(
      /OTPKIT_METRICS_TOKEN: must be at least 16/,
    );
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of/);
    expect(loadConfig({})).toMatchObject({
      metricsToken: undefined,
      logLevel: 'info',
      shutdown: { delaySeconds: 0, timeoutSeconds: 30 },
    });
    expect(
      loadConfig({
        LOG_LEVEL: 'debug',
        OTPKIT_SHUTDOWN_DELAY_SECONDS: '5',
        OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: '10',
      }),
    ).toMatchObject({ logLevel: 'debug', shutdown: { delaySeconds: 5, timeoutSeconds: 10 } });
  });

  it('refuses to start in production without a delivery provider', async () => {
    await expect(
      startServer({
        env: {
          NODE_ENV: 'production',
          OTPKIT_SECRET: 'a'.repeat(40),
          OTPKIT_METRICS_TOKEN: 'm'.repeat(24),
          DATABASE_URL: 'sqlite::memory:',
        },
      }),
    ).rejects.toThrow(/No delivery provider is configured/);
  });
});
