/**
 * Messages between the lab (parent) and one trainer process (child), over the Node IPC channel
 * (`process.send` / `child.send`; `utilityProcess` `postMessage` in Electron). Both directions are
 * unions on `kind` and are parsed on receipt: a malformed message is a protocol error, not a crash.
 *
 * Parent → child: exactly one `start`, then at most one `stop`.
 * Child → parent: `TrainerEvent`s (see events.ts), ending with exactly one terminal event, after
 * which the child exits. The child writes its own checkpoints into `runDir/checkpoints/` and
 * finishes writing checkpoint N before it sends epoch N's `epoch` event, so a run killed at any
 * moment can resume from the last epoch the store recorded.
 */
import { z } from 'zod';
import { RunConfig } from './config.js';
import { TrainerEvent } from './events.js';

export const StartMessage = z.strictObject({
  kind: z.literal('start'),
  config: RunConfig,
  /** The run's folder (absolute); the trainer writes only under `<runDir>/checkpoints/`. */
  runDir: z.string().min(1),
  /** Lab home (absolute), where datasets live (`<home>/datasets/cifar10/`). */
  home: z.string().min(1),
  /** Resume from this epoch's checkpoint (0 = fresh start). */
  resumeFromEpoch: z.number().int().nonnegative(),
});
export type StartMessage = z.infer<typeof StartMessage>;

/** Graceful stop: the trainer finishes the current batch, then sends `stopped` and exits. */
export const StopMessage = z.strictObject({ kind: z.literal('stop') });

export const ParentMessage = z.discriminatedUnion('kind', [StartMessage, StopMessage]);
export type ParentMessage = z.infer<typeof ParentMessage>;

export const ChildMessage = TrainerEvent;
export type ChildMessage = z.infer<typeof ChildMessage>;

/**
 * How long the supervisor waits, after `stop`, for the trainer's next message before it kills
 * it: counted from the trainer's last event, so a trainer finishing a slow batch or its epoch's
 * evaluation and checkpoint on a busy machine is not killed while it still reports.
 */
export const STOP_GRACE_MS = 30_000;
