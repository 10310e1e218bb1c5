/**
 * Recovery at start-up: a run left `running` or `queued` whose process is gone can never finish
 * by itself. It becomes `interrupted` (resumable with `bnlab resume`), with an `interrupted`
 * event so its event stream still ends in exactly one terminal event.
 *
 * Which process: a `running` run records its trainer's pid; a `queued` run records the pid of
 * the lab that queued it (the store sets it in `createRun`). So another lab process on the same
 * home — `bnlab list` while `bnlab run` trains — leaves both alone while that lab lives, and after
 * an app crash or kill both kinds are recovered. A queued run is interrupted rather than deleted
 * or silently re-queued: the user asked for it, and resuming it starts it from epoch 0.
 */
import type { InterruptedEvent } from '../api/events.js';
import type { RunRecord } from '../api/records.js';
import type { z } from 'zod';
import type { Warn } from './event-log.js';
import type { RunStore } from './run-store.js';

export const TRAINER_GONE_REASON =
  'the trainer stopped without a final event (app closed or process killed)';
export const QUEUE_GONE_REASON =
  'the lab stopped before this queued run started (app closed or process killed)';

/** Marks every active run of `store` whose recorded process is gone as interrupted. */
export async function recoverInterruptedRuns(store: RunStore, warn: Warn): Promise<RunRecord[]> {
  const recovered: RunRecord[] = [];
  for (const run of await store.listRuns()) {
    if (run.status !== 'running' && run.status !== 'queued') continue;
    if (run.pid !== null && store.isProcessAlive(run.pid, await store.runWrittenMs(run.id)))
      continue;
    const reason = run.status === 'running' ? TRAINER_GONE_REASON : QUEUE_GONE_REASON;
    const event: z.infer<typeof InterruptedEvent> = {
      kind: 'interrupted',
      time: Date.now(),
      epochsCompleted: run.epochsCompleted,
      reason,
    };
    try {
      await store.appendEvents(run.id, [event]);
      recovered.push(
        await store.updateRun(run.id, {
          status: 'interrupted',
          endedAt: new Date().toISOString(),
          pid: null,
          error: reason,
        }),
      );
    } catch (error) {
      warn(`could not mark run ${run.id} as interrupted: ${(error as Error).message}`);
    }
  }
  return recovered;
}
