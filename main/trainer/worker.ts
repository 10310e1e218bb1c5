/**
 * The trainer process entry (started by launcher.ts). Speaks main/api/trainer-protocol.ts over the
 * IPC channel: waits for one `start`, loads the dataset, selects the backend, runs `trainRun`, and
 * forwards its events. A `stop` (or the parent going away) ends the run after the current batch.
 * Any error becomes a `failed` event and a non-zero exit; after the terminal event is delivered
 * the process exits 0.
 */
import path from 'node:path';
import { formatIssues } from '../api/config.js';
import type { TerminalEvent, TrainerEvent } from '../api/events.js';
import { EngineReplyEnvelope } from '../api/engine-protocol.js';
import { ParentMessage, type StartMessage } from '../api/trainer-protocol.js';
import { loadDataset } from '../data/index.js';
import { selectTrainerBackend } from './backends/select-trainer.js';
import { trainRun } from './train.js';

let stopRequested = false;
let started = false;

/** Sends one message and resolves once Node has handed it to the channel. */
function send(event: TrainerEvent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(event, undefined, undefined, () => resolve());
  });
}

// Events are sent in order; the terminal one is awaited before exiting.
let queue: Promise<void> = Promise.resolve();
function emit(event: TrainerEvent): void {
  queue = queue.then(() => send(event));
}

async function run(start: StartMessage): Promise<TerminalEvent> {
  const { config } = start;
  const dataset = await loadDataset(config.dataset, {
    home: start.home,
    validationFraction: config.training.validationFraction,
    trainSubset: config.training.trainSubset,
    validationSubset: config.training.validationSubset,
  });
  const backend = await selectTrainerBackend(config.backend);
  try {
    return await trainRun({
      config,
      dataset,
      emit,
      shouldStop: () => stopRequested,
      checkpointDir: path.join(start.runDir, 'checkpoints'),
      resumeFromEpoch: start.resumeFromEpoch,
      backend: backend.info,
      engine: backend.engine,
    });
  } finally {
    await backend.close().catch(() => undefined);
  }
}

async function exitAfter(event: TerminalEvent | null, code: number): Promise<never> {
  if (event) emit(event);
  await queue;
  process.exit(code);
}

function onMessage(raw: unknown): void {
  // The GPU trainer window's replies (desktop route) are parent-channel.ts's, not the run's.
  if (EngineReplyEnvelope.safeParse(raw).success) return;
  const parsed = ParentMessage.safeParse(raw);
  if (!parsed.success) {
    void exitAfter(
      {
        kind: 'failed',
        time: Date.now(),
        epochsCompleted: 0,
        message: `malformed message from the lab: ${formatIssues(parsed.error)}`,
      },
      1,
    );
    return;
  }
  const message = parsed.data;
  if (message.kind === 'stop') {
    stopRequested = true;
    if (!started) void exitAfter({ kind: 'stopped', time: Date.now(), epochsCompleted: 0 }, 0);
    return;
  }
  if (started) return;
  started = true;
  run(message).then(
    async (terminal) => exitAfter(null, terminal.kind === 'failed' ? 1 : 0),
    async (error: unknown) =>
      exitAfter(
        {
          kind: 'failed',
          time: Date.now(),
          epochsCompleted: message.resumeFromEpoch,
          message: error instanceof Error ? error.message : String(error),
        },
        1,
      ),
  );
}

if (!process.send) {
  process.stderr.write(
    'main/trainer/worker.ts is a trainer process: start it through the lab (launcher.ts)\n',
  );
  process.exit(2);
}
process.on('message', onMessage);
// The lab went away: finish the current batch and stop, as if asked.
process.on('disconnect', () => {
  stopRequested = true;
  if (!started) process.exit(0);
});
// `bnlab stop <run>` from another process (and a polite OS shutdown): a graceful stop, the run
// ends `stopped` after the current batch and stays resumable.
process.on('SIGTERM', () => onMessage({ kind: 'stop' }));
