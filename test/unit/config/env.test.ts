import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.js';
import { ConfigError } from '../../../src/core/errors.js';

describe('parseEnv', () => {
  it('gives embedded defaults when nothing is set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', INACTIVITY_MINUTES: 30, LOG_REDACT: true, APP_ENV: 'development' });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ REDIS_URL: '', DATABASE_URL: '', PORT: '' })).toMatchObject({ PORT: 3000, REDIS_URL: undefined });
  });

  it('names each bad variable, why, and what it got', () => {
    let caught: unknown;
    try {
      parseEnv({ PORT: 'eighty', REDIS_URL: 'localhost:6379', DEFAULT_LOCALE: 'fr' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toMatch(/PORT: expected a whole number between 0 and 65535 \(got "eighty"\)/);
    expect(message).toMatch(/REDIS_URL: expected a URL starting with redis:\/\/ or rediss:\/\//);
    expect(message).toMatch(/DEFAULT_LOCALE: .*\(got "fr"\)/);
  });

  it('parses numbers and flags', () => {
    expect(parseEnv({ PORT: '8080', LOG_REDACT: 'false', INACTIVITY_MINUTES: '5' })).toMatchObject({
      PORT: 8080,
      LOG_REDACT: false,
      INACTIVITY_MINUTES: 5,
    });
  });
});
