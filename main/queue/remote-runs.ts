/**
 * The lab's side of the queue (`bnlab run|serve --redis URL`): a `TrainerLauncher` whose trainers
 * are BullMQ jobs (remote-trainer.ts), and the loop that reads the workers' event stream and hands
 * each envelope to its run. The lab is the stream's only reader: it deletes what it has handled,
 * so what stays in Redis is what it has not seen yet — after a Redis restart (with persistence) or
 * a lost connection it continues where it stopped. One lab per Redis prefix.
 */
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import type { StartMessage } from '../api/trainer-protocol.js';
import type { TrainerLauncher } from '../trainer/launcher.js';
import {
  checkpointFields,
  fetchCheckpoint,
  readCheckpointFolder,
  writeCheckpointFolder,
} from './checkpoint-blob.js';
import { assertReachable, connect, redisOptions } from './connection.js';
import {
  DEFAULT_PREFIX,
  EventEnvelope,
  parseAnnouncements,
  QUEUE_NAME,
  queueKeys,
  type RunJob,
  type WorkerAnnouncement,
} from './protocol.js';
import { RemoteTrainer, type RemoteBackend } from './remote-trainer.js';

export interface RemoteRunsOptions {
  redisUrl: string;
  prefix?: string;
  warn?: (line: string) => void;
}

/** Runs a lab queues at once when workers train them: their concurrency is the real bound. */
export const REMOTE_PARALLEL = 1000;
const READ_BATCH = 200;
const READ_BLOCK_MS = 1_000;
/** A stop signal outlives any sensible wait for a worker to pick its job up. */
const STOP_TTL_S = 24 * 3600;

export class RemoteRuns {
  private readonly keys;
  private readonly redis;
  private readonly reader;
  private readonly queue: Queue;
  private readonly queueEvents: QueueEvents;
  private readonly runs = new Map<string, RemoteTrainer>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly warn: (line: string) => void;
  private closed = false;
  private loop: Promise<void> = Promise.resolve();

  /** Connects (failing with a sentence when Redis cannot be reached) and starts reading events. */
  static async open(options: RemoteRunsOptions): Promise<RemoteRuns> {
    // Before BullMQ's clients exist: they would retry an unreachable Redis forever.
    const probe = connect(options.redisUrl, 'bnlab-lab-probe');
    try {
      await assertReachable(probe, options.redisUrl);
    } finally {
      probe.disconnect();
    }
    const runs = new RemoteRuns(options);
    try {
      await runs.queue.waitUntilReady();
      await runs.queueEvents.waitUntilReady();
    } catch (error) {
      await runs.close();
      throw error;
    }
    runs.loop = runs.readLoop();
    return runs;
  }

  private constructor(options: RemoteRunsOptions) {
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    this.keys = queueKeys(prefix);
    this.warn = options.warn ?? ((line) => console.error(`bnlab: ${line}`));
    this.redis = connect(options.redisUrl, 'bnlab-lab');
    this.reader = connect(options.redisUrl, 'bnlab-lab-events');
    const connection = redisOptions(options.redisUrl);
    this.queue = new Queue(QUEUE_NAME, { connection, prefix });
    this.queueEvents = new QueueEvents(QUEUE_NAME, { connection, prefix });
    this.queue.on('error', () => undefined); // reconnects by itself
    this.queueEvents.on('error', () => undefined);
    this.queueEvents.on('failed', ({ jobId, failedReason }) => {
      this.runs.get(jobId)?.failed(failedReason);
    });
  }

  /** Starts "trainers" that are jobs on the queue; give it to `createLab({ launcher })`. */
  readonly launcher: TrainerLauncher = () =>
    new RemoteTrainer(this.backend, (runId, trainer) => this.runs.set(runId, trainer));

  /** The workers that have announced themselves and not closed. */
  async workers(): Promise<WorkerAnnouncement[]> {
    return parseAnnouncements(await this.redis.hvals(this.keys.workers));
  }

  /** Stops reading and closes the connections; call after the lab has closed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    this.reader.disconnect();
    await this.loop;
    await Promise.allSettled([this.queue.close(), this.queueEvents.close()]);
    this.redis.disconnect();
  }

  private readonly backend: RemoteBackend = {
    queue: (start) => this.track(this.enqueue(start)),
    unqueue: (runId) =>
      this.track(
        (async () => {
          const job = await this.queue.getJob(runId);
          if (!job) return false;
          const state = await job.getState();
          if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
          // Fails when a worker took it meanwhile: then it is stopped by signal.
          return (await this.queue.remove(runId)) === 1;
        })(),
      ),
    signalStop: (runId) =>
      this.track(
        this.redis
          .multi()
          .set(this.keys.stop(runId), '1', 'EX', STOP_TTL_S)
          .publish(this.keys.stopChannel, JSON.stringify({ runId }))
          .exec(),
      ).then(() => undefined),
    saveCheckpoint: async (runId, epoch, checkpointDir) => {
      const blob = await fetchCheckpoint(this.redis, this.keys.checkpoint(runId));
      // A later epoch's checkpoint is copied with that epoch's event.
      if (blob?.epoch === epoch) await writeCheckpointFolder(checkpointDir, blob);
    },
    finished: (runId, ended) => {
      this.runs.delete(runId);
      if (ended)
        void this.track(this.redis.del(this.keys.checkpoint(runId))).catch(() => undefined);
    },
    warn: (line) => this.warn(line),
  };

  /** Redis's checkpoint of the run := the lab's checkpoint it resumes from; then the job. */
  private async enqueue(start: StartMessage): Promise<void> {
    const runId = start.config.runId;
    const key = this.keys.checkpoint(runId);
    const multi = this.redis.multi().del(key).del(this.keys.stop(runId));
    if (start.resumeFromEpoch > 0) {
      const dir = path.join(start.runDir, 'checkpoints');
      multi.hset(key, checkpointFields(await readCheckpointFolder(dir, start.resumeFromEpoch)));
    }
    await multi.exec();
    // A finished job of an earlier attempt would keep the id taken.
    await this.queue.remove(runId).catch(() => 0);
    const job: RunJob = { config: start.config, resumeFromEpoch: start.resumeFromEpoch };
    await this.queue.add('train', job, {
      jobId: runId,
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  private async readLoop(): Promise<void> {
    let lastId = '0';
    while (!this.closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = await this.reader.xread(
          'COUNT',
          READ_BATCH,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          this.keys.events,
          lastId,
        );
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      const entries = reply?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        lastId = id;
        await this.dispatch(fields);
      }
      if (entries.length > 0)
        await this.redis.xdel(this.keys.events, ...entries.map(([id]) => id)).catch(() => 0);
    }
  }

  private async dispatch(fields: string[]): Promise<void> {
    const index = fields.indexOf('e');
    const parsed = EventEnvelope.safeParse(safeJson(index >= 0 ? fields[index + 1] : undefined));
    if (!parsed.success) {
      this.warn('ignored a malformed entry in the event stream');
      return;
    }
    // Events of runs this lab is not training (ended, or another session's) are dropped.
    await this.runs.get(parsed.data.runId)?.receive(parsed.data);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
