/**
 * Redis connections for the run queue (DESIGN §8). A `redis://` or `rediss://` (TLS) URL, with an
 * optional user and password and a database number, becomes ioredis options. Every connection
 * retries forever with a capped back-off and keeps commands until Redis is back
 * (`maxRetriesPerRequest: null`, which BullMQ requires), so a Redis restart delays the lab and the
 * workers but does not end them.
 */
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';

/** Longest wait between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** ioredis options for `url`; throws a sentence naming what is wrong with the URL. */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${redactUrl(url)}" is not a Redis URL (like redis://host:6379)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(
      `a Redis URL starts with redis:// or rediss:// (TLS), not ${parsed.protocol}//`,
    );
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new Error(`the Redis database in the URL must be a number, not "${db}"`);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    // rediss://: TLS with the system's CA store (plus NODE_EXTRA_CA_CERTS) and host-name
    // verification (Node's defaults). SNI carries host names only (RFC 6066), never an address.
    ...(parsed.protocol === 'rediss:'
      ? { tls: isIP(parsed.hostname) ? {} : { servername: parsed.hostname } }
      : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** A new connection; `name` shows in `CLIENT LIST` on the Redis server. */
export function connect(url: string, name: string): Redis {
  const redis = new Redis({ ...redisOptions(url), connectionName: name, lazyConnect: false });
  // Without a listener ioredis prints every failed reconnection attempt; the retry is the answer.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Resolves once `redis` answers PING; rejects after `timeoutMs` naming the URL, so a wrong host
 * or password is an error at start, not a lab that waits forever.
 */
export async function assertReachable(
  redis: Redis,
  url: string,
  timeoutMs = 10_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // The connection retries by itself; its last error says why (refused, certificate, …).
  let lastError: string | null = null;
  const onError = (error: Error) => (lastError = error.message);
  redis.on('error', onError);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `cannot reach Redis at ${redactUrl(url)} within ${timeoutMs / 1000} s` +
              (lastError ? ` (${lastError})` : ''),
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      message.startsWith('cannot reach') ? message : `Redis at ${redactUrl(url)}: ${message}`,
    );
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
}
