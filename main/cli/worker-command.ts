/**
 * `bnlab worker --redis URL`: trains runs from a lab's queue on this machine until Ctrl-C or
 * SIGTERM, which hand the runs in training back to the queue (another worker resumes them from
 * their last checkpoint) and exit 0.
 */
import type { BackendChoice } from '../api/config.js';
import { redisOptions } from '../queue/connection.js';
import { DEFAULT_STALL_SETTINGS } from '../queue/protocol.js';
import { startWorker, WorkerBackendError } from '../queue/worker.js';
import { CliError, EXIT } from './errors.js';
import { resolveHome } from './home.js';

export interface WorkerCommandOptions {
  redis: string;
  concurrency: number;
  backend: BackendChoice;
  lockDuration?: number;
  stalledInterval?: number;
}

export async function workerCommand(homeOption: string | undefined, options: WorkerCommandOptions) {
  checkRedisUrl(options.redis);
  const worker = await unavailableIfUnreachable(() =>
    startWorker({
      redisUrl: options.redis,
      home: resolveHome(homeOption),
      concurrency: options.concurrency,
      backend: options.backend,
      stall: {
        lockDurationMs: options.lockDuration ?? DEFAULT_STALL_SETTINGS.lockDurationMs,
        stalledIntervalMs: options.stalledInterval ?? DEFAULT_STALL_SETTINGS.stalledIntervalMs,
      },
    }),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  process.stdout.write('closing: the runs in training go back to the queue…\n');
  await worker.close();
  // Lingering sockets of the Redis client must not keep the process alive.
  process.exit(0);
}

/** A malformed --redis URL is a usage error (exit 2), named before anything connects. */
export function checkRedisUrl(url: string): void {
  try {
    redisOptions(url);
  } catch (error) {
    throw new CliError(`--redis: ${(error as Error).message}`, EXIT.invalid);
  }
}

/**
 * Redis that cannot be reached (or refuses the password), or a `--backend` this machine cannot run,
 * is exit 3, with the reason.
 */
export async function unavailableIfUnreachable<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const message = (error as Error).message;
    if (/Redis/.test(message)) throw new CliError(message, EXIT.unavailable);
    if (error instanceof WorkerBackendError)
      throw new CliError(`--backend: ${message}`, EXIT.unavailable);
    throw error;
  }
}
