/**
 * Supervises one trainer process: starts it, parses what it sends, stops it (gracefully, then
 * killed), and guarantees exactly one terminal event on every path — a spawn failure, a crash, a
 * kill or a protocol error become `failed` / `interrupted` / `stopped` here, never an app crash.
 *
 * Quitting while a run trains (the app quits, the CLI is interrupted twice, the server stops) is
 * `interrupt(reason)`, the same for every launcher: the trainer is asked to stop after its
 * current batch, as for a user's stop, and killed if it has not within the grace period; the run
 * ends `interrupted` (not `stopped`: the user did not ask to stop it) with the reason, resumable
 * from its last completed epoch.
 */
import { formatIssues } from '../api/config.js';
import { isTerminal, type TerminalEvent, type TrainerEvent } from '../api/events.js';
import { ChildMessage, STOP_GRACE_MS, type StartMessage } from '../api/trainer-protocol.js';
import type { TrainerLauncher, TrainerProcess } from '../trainer/launcher.js';

export interface SupervisedRun {
  readonly pid: number | undefined;
  /** Asks for a graceful stop; kills the trainer if it has not ended after `graceMs`. */
  stop(): void;
  /**
   * Stops the trainer because its lab is going away: a graceful stop, killed after `graceMs`;
   * the run ends `interrupted` with `reason` unless a stop was already asked for (then `stopped`).
   */
  interrupt(reason: string): void;
  /** Resolves with the one terminal event once the process is gone. */
  readonly done: Promise<TerminalEvent>;
}

export interface SuperviseOptions {
  launcher: TrainerLauncher;
  start: StartMessage;
  /** Every event, the terminal one included, in order. */
  onEvent(event: TrainerEvent): void;
  graceMs?: number;
  now?: () => number;
}

const STDERR_TAIL_CHARS = 2000;

/** Starts a trainer for one run and supervises it until it is gone. */
export function superviseTrainer(options: SuperviseOptions): SupervisedRun {
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  let epochsCompleted = options.start.resumeFromEpoch;
  let terminal: TerminalEvent | null = null;
  let stopRequested = false;
  let interruptReason: string | null = null;
  let protocolError: string | null = null;
  let stderrTail = '';
  let killTimer: NodeJS.Timeout | undefined;
  /** A stop was sent: the trainer is killed after `graceMs` without a message from it. */
  let stopping = false;
  const armKill = () => {
    clearTimeout(killTimer);
    return setTimeout(() => child.kill(), graceMs);
  };
  let resolveDone!: (event: TerminalEvent) => void;
  const done = new Promise<TerminalEvent>((resolve) => (resolveDone = resolve));

  const finish = (event: TerminalEvent) => {
    if (killTimer) clearTimeout(killTimer);
    if (!terminal) {
      terminal = event;
      options.onEvent(event);
    }
    resolveDone(terminal);
  };

  let child: TrainerProcess;
  try {
    child = options.launcher({});
  } catch (error) {
    finish({
      kind: 'failed',
      time: now(),
      epochsCompleted,
      message: `could not start the trainer: ${error instanceof Error ? error.message : String(error)}`,
    });
    return { pid: undefined, stop() {}, interrupt() {}, done };
  }

  child.onStderr((text) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
  });
  child.onSpawnError((error) => {
    finish({
      kind: 'failed',
      time: now(),
      epochsCompleted,
      message: `could not start the trainer: ${error.message}`,
    });
  });
  child.onMessage((raw) => {
    if (terminal) return;
    const parsed = ChildMessage.safeParse(raw);
    if (!parsed.success) {
      protocolError = `the trainer sent a malformed message (${formatIssues(parsed.error)})`;
      child.kill();
      return;
    }
    const event = parsed.data;
    if (event.kind === 'epoch') epochsCompleted = Math.max(epochsCompleted, event.epoch);
    if (isTerminal(event)) {
      // Held back until the process is gone, so that "done" means the trainer has exited. A
      // trainer that stopped because its lab is going away was interrupted, not stopped.
      terminal =
        interruptReason && event.kind === 'stopped'
          ? { ...event, kind: 'interrupted', reason: interruptReason }
          : event;
      options.onEvent(terminal);
      clearTimeout(killTimer);
      killTimer = setTimeout(() => child.kill(), graceMs);
      return;
    }
    // A trainer asked to stop that is still talking (finishing its batch, its epoch's
    // evaluation and checkpoint) is slow, not stuck: the grace period counts from its last word.
    if (stopping) killTimer = armKill();
    options.onEvent(event);
  });
  child.onExit((code, signal) => {
    if (terminal) return finish(terminal);
    const time = now();
    if (protocolError)
      return finish({ kind: 'failed', time, epochsCompleted, message: protocolError });
    if (interruptReason) {
      const killed = signal ? `; the trainer did not stop in time and was killed (${signal})` : '';
      return finish({
        kind: 'interrupted',
        time,
        epochsCompleted,
        reason: interruptReason + killed,
      });
    }
    if (stopRequested) return finish({ kind: 'stopped', time, epochsCompleted });
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const detail = lastLines(stderrTail);
    if (signal) {
      // Not asked for: another process, or the system (SIGKILL is what the OOM killer sends).
      const hint = signal === 'SIGKILL' ? ' (the system may have run out of memory)' : '';
      return finish({
        kind: 'interrupted',
        time,
        epochsCompleted,
        reason: `the trainer ${how}${hint}`,
      });
    }
    return finish({
      kind: 'failed',
      time,
      epochsCompleted,
      message: `the trainer ${how} without a final event${detail ? `: ${detail}` : ''}`,
    });
  });

  if (!child.send(options.start)) {
    child.kill();
  }

  // The IPC `stop` works on every platform (SIGTERM is a hard kill on Windows); the launcher's
  // kill() follows when the trainer has not stopped within the grace period.
  const askToStop = () => {
    if (!child.send({ kind: 'stop' })) child.kill();
    stopping = true;
    killTimer = armKill();
  };

  return {
    pid: child.pid,
    stop() {
      if (terminal || stopRequested || interruptReason) return;
      stopRequested = true;
      askToStop();
    },
    interrupt(reason) {
      if (terminal || interruptReason) return;
      // Asked again while a user's stop is under way (a second Ctrl-C): end it now.
      if (stopRequested) return child.kill();
      interruptReason = reason;
      askToStop();
    },
    done,
  };
}

/**
 * The informative part of a crashed trainer's stderr: Node ends a crash with the stack, a `}` and
 * its version, so the line naming the error is what the user needs (the last three lines else).
 */
function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '}' && !/^Node\.js v\d/.test(l));
  const error = lines.findLast(
    (l) => /\b\w*(Error|Exception)\b|^error:/i.test(l) && !l.startsWith('at '),
  );
  return error ?? lines.slice(-3).join(' | ');
}
