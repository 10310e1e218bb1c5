/**
 * `bnlab worker`: takes runs from the lab's BullMQ queue and trains each with the ordinary trainer
 * process (main/lab/supervisor.ts + the fork launcher: same code, same checkpoints), streaming its
 * events back through Redis (event-publisher.ts). A run continues from the checkpoint the last
 * worker reported, so a run whose worker died (BullMQ's stalled-job detection puts it back in the
 * queue) repeats at most its unfinished epoch. Closing a worker hands its runs back the same way.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { BackendChoice } from '../api/config.js';
import { formatIssues } from '../api/config.js';
import type { TerminalEvent } from '../api/events.js';
import { superviseTrainer, type SupervisedRun } from '../lab/supervisor.js';
import { forkLauncher, type TrainerLauncher } from '../trainer/launcher.js';
import {
  describeChoice,
  probeBackendsFor,
  rowForChoice,
} from '../trainer/backends/probe-isolated.js';
import { fetchCheckpoint, writeCheckpointFolder } from './checkpoint-blob.js';
import { assertReachable, connect, redisOptions } from './connection.js';
import { EventPublisher } from './event-publisher.js';
import {
  DEFAULT_PREFIX,
  DEFAULT_STALL_SETTINGS,
  QUEUE_NAME,
  queueKeys,
  RunJob,
  StopSignal,
  type StallSettings,
  type WorkerAnnouncement,
} from './protocol.js';

export interface WorkerOptions {
  redisUrl: string;
  /** This worker's lab home: where its datasets are (`<home>/datasets/cifar10/`). */
  home: string;
  concurrency: number;
  /** The backend for runs that ask for `auto`; a run that names one is trained on that one. */
  backend: BackendChoice;
  prefix?: string;
  stall?: Partial<StallSettings>;
  launcher?: TrainerLauncher;
  log?: (line: string) => void;
}

/** The worker's `--backend` cannot run on this machine; the message says why (exit 3 in the CLI). */
export class WorkerBackendError extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'WorkerBackendError';
  }
}

export interface RunningWorker {
  readonly announcement: WorkerAnnouncement;
  /** Stops taking runs; the runs in training go back to the queue for another worker. */
  close(): Promise<void>;
}

/** Starts a worker; resolves once it has announced itself and waits for runs. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => console.log(line));
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const keys = queueKeys(prefix);
  const stall = { ...DEFAULT_STALL_SETTINGS, ...options.stall };
  // Probed in short-lived children, as the lab does: the worker process itself loads no backend
  // (no native package, no CUDA context held for its whole life), and webgpu/webgl are found where
  // the trainers run them, in a browser engine.
  const chosen = rowForChoice(await probeBackendsFor(options.backend), options.backend);
  if ('why' in chosen) throw new WorkerBackendError(chosen.why);
  const id = `${hostname()} (pid ${process.pid})`;
  const announcement: WorkerAnnouncement = {
    id,
    host: hostname(),
    pid: process.pid,
    backend: chosen.row.name,
    device: chosen.row.device ?? 'cpu',
    adapter: `${chosen.row.package}: ${describeChoice(chosen)}`,
    concurrency: options.concurrency,
    startedAt: new Date().toISOString(),
  };
  const redis = connect(options.redisUrl, 'bnlab-worker');
  const subscriber = connect(options.redisUrl, 'bnlab-worker-stop');
  try {
    await assertReachable(redis, options.redisUrl);
  } catch (error) {
    redis.disconnect();
    subscriber.disconnect();
    throw error;
  }
  const active = new Map<string, SupervisedRun>();
  let closing = false;

  await subscriber.subscribe(keys.stopChannel);
  subscriber.on('message', (_channel: string, message: string) => {
    const signal = StopSignal.safeParse(safeJson(message));
    if (signal.success) active.get(signal.data.runId)?.stop();
  });

  const train = async (job: Job, token?: string): Promise<TerminalEvent['kind']> => {
    const parsed = RunJob.safeParse(job.data);
    if (!parsed.success) {
      // Never trained, never retried: the lab sees the job fail with this reason.
      throw new UnrecoverableError(`not a valid run: ${formatIssues(parsed.error)}`);
    }
    const { config } = parsed.data;
    const runId = config.runId;
    const attempt = `${id}/${randomUUID()}`;
    const runDir = await mkdtemp(path.join(tmpdir(), 'bnlab-worker-'));
    const checkpointDir = path.join(runDir, 'checkpoints');
    const publisher = new EventPublisher(redis, keys, runId, attempt, checkpointDir);
    try {
      const checkpoint = await fetchCheckpoint(redis, keys.checkpoint(runId));
      const resumeFromEpoch = checkpoint?.epoch ?? 0;
      if (resumeFromEpoch < parsed.data.resumeFromEpoch)
        throw new UnrecoverableError(
          `the lab asked to resume from epoch ${parsed.data.resumeFromEpoch}, but Redis holds no checkpoint of it`,
        );
      if (checkpoint) await writeCheckpointFolder(checkpointDir, checkpoint);
      if (await redis.exists(keys.stop(runId))) {
        void publisher.publish({
          kind: 'stopped',
          time: Date.now(),
          epochsCompleted: resumeFromEpoch,
        });
        await publisher.flushed();
        return 'stopped';
      }
      log(`${runId}: training${resumeFromEpoch > 0 ? ` from epoch ${resumeFromEpoch}` : ''}`);
      const supervised = superviseTrainer({
        launcher: options.launcher ?? forkLauncher,
        start: {
          kind: 'start',
          config: {
            ...config,
            backend: config.backend === 'auto' ? options.backend : config.backend,
          },
          runDir,
          home: options.home,
          resumeFromEpoch,
        },
        onEvent: (event) => {
          // A closing worker hands the run back: its trainer's `interrupted` is not the run's end.
          if (closing && event.kind === 'interrupted') return;
          void publisher.publish(event.kind === 'started' ? { ...event, worker: id } : event);
        },
      });
      active.set(runId, supervised);
      const terminal = await supervised.done;
      active.delete(runId);
      await publisher.flushed();
      if (closing && terminal.kind === 'interrupted') {
        // Back to the queue at once, for another worker to resume from the last checkpoint.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      log(`${runId}: ${terminal.kind} after ${terminal.epochsCompleted} epoch(s)`);
      return terminal.kind;
    } finally {
      active.delete(runId);
      await rm(runDir, { recursive: true, force: true });
    }
  };

  const worker = new Worker(QUEUE_NAME, train, {
    connection: redisOptions(options.redisUrl),
    prefix,
    concurrency: options.concurrency,
    lockDuration: stall.lockDurationMs,
    stalledInterval: stall.stalledIntervalMs,
    maxStalledCount: stall.maxStalledCount,
  });
  worker.on('error', () => undefined); // connection errors: BullMQ reconnects by itself
  await worker.waitUntilReady();
  await redis.hset(keys.workers, id, JSON.stringify(announcement));
  log(
    `bnlab worker ${id}: ${announcement.backend} (${announcement.device}; ${announcement.adapter}), ` +
      `${options.concurrency} run(s) at a time, waiting for runs`,
  );

  return {
    announcement,
    async close() {
      closing = true;
      for (const run of active.values()) run.interrupt('the worker was closed');
      await worker.close();
      await redis.hdel(keys.workers, id).catch(() => undefined);
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
