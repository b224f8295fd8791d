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

  it('requires a secret in production and keeps the outbox off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /OTPKIT_SECRET: required in production/,
    );
    const secret = 'a'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', OTPKIT_SECRET: secret })).toMatchObject({
      devOutbox: false,
      host: '0.0.0.0',
    });
    expect(() =>
      loadConfig({ NODE_ENV: 'production', OTPKIT_SECRET: secret, OTPKIT_DEV_OUTBOX: 'true' }),
    ).toThrow(/OTPKIT_DEV_OUTBOX/);
  });

  it('refuses to start in production without a delivery provider', async () => {
    await expect(
      startServer({
        env: {
          NODE_ENV: 'production',
          OTPKIT_SECRET: 'a'.repeat(40),
          DATABASE_URL: 'sqlite::memory:',
        },
      }),
    ).rejects.toThrow(/No delivery provider is configured/);
  });
});
