/**
 * "Test connection" of the Settings view: one connection attempt (no retries) to a Redis URL,
 * classified as reachable, unreachable, auth failed, TLS failed or an invalid URL, in a sentence
 * that names the URL redacted and never the password. Reachable also lists the workers listening.
 */
import { Redis } from 'ioredis';
import type { ConnectionTestResult } from '../api/settings.js';
import { redactUrl, redisOptions } from './connection.js';
import { DEFAULT_PREFIX, parseAnnouncements, queueKeys } from './protocol.js';

const AUTH_ERROR = /^(NOAUTH|WRONGPASS)\b|invalid password|invalid username-password/i;
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|EPROTO|UNABLE_TO_(GET|VERIFY)/;

/** Tries `url` once within `timeoutMs`; never throws. */
export async function testRedisConnection(
  url: string,
  timeoutMs = 5_000,
): Promise<ConnectionTestResult> {
  let options;
  try {
    options = redisOptions(url);
  } catch (error) {
    return { status: 'invalid-url', message: (error as Error).message, workers: [] };
  }
  const shown = redactUrl(url);
  const redis = new Redis({
    ...options,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    connectionName: 'bnlab-settings-test',
  });
  // ioredis rejects `connect()` with "Connection is closed."; the cause comes as an 'error'.
  let cause: (Error & { code?: string }) | null = null;
  redis.on('error', (error: Error) => (cause = error));
  try {
    await redis.connect();
    await redis.ping();
    const announced = parseAnnouncements(await redis.hvals(queueKeys(DEFAULT_PREFIX).workers));
    const workers = announced.map((w) => `${w.id}: ${w.backend}`);
    return {
      status: 'reachable',
      message: `Redis at ${shown} answers; ${workers.length} worker(s) listening.`,
      workers,
    };
  } catch (error) {
    return classify(shown, cause ?? (error as Error), options.password);
  } finally {
    redis.disconnect();
  }
}

function classify(
  shown: string,
  error: Error & { code?: string },
  password: string | undefined,
): ConnectionTestResult {
  const detail = scrub(error.message, password);
  const code = error.code ?? '';
  if (AUTH_ERROR.test(error.message)) {
    const needs = /^NOAUTH/.test(error.message);
    return {
      status: 'auth-failed',
      message: needs
        ? `Redis at ${shown} requires a password (redis://:PASSWORD@host:port).`
        : `Redis at ${shown} refused the user name or password (${detail}).`,
      workers: [],
    };
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(error.message)) {
    return {
      status: 'tls-failed',
      message: `TLS with ${shown} failed: ${detail} (${code || 'no code'}).`,
      workers: [],
    };
  }
  const hint = shown.startsWith('rediss:')
    ? ' A rediss:// (TLS) URL needs a Redis that serves TLS on that port.'
    : '';
  return {
    status: 'unreachable',
    message: `Cannot reach Redis at ${shown}: ${detail}.${hint}`,
    workers: [],
  };
}

/** The message with the password cut out, should a library ever echo it. */
function scrub(message: string, password: string | undefined): string {
  return password ? message.split(password).join('***') : message;
}
