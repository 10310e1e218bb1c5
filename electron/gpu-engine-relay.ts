/**
 * The desktop route for webgpu/webgl: wraps the utility-process launcher so that each trainer
 * runs with `BNLAB_GPU_ROUTE=parent` and its engine requests (main/api/engine-protocol.ts
 * envelopes) go to a hidden trainer window, opened on the trainer's first request and closed
 * when it exits. Requests and replies are validated here both ways; the supervisor sees only
 * the trainer's own events. If the window dies, every pending and later request is answered with
 * an `error` reply naming why — the trainer's run then ends `failed` with that message.
 */
import {
  EngineReleaseEnvelope,
  EngineReply,
  EngineRequestEnvelope,
  type EngineReplyEnvelope,
} from '../main/api/engine-protocol.js';
import { formatIssues } from '../main/api/config.js';
import type { TrainerLauncher, TrainerProcess } from '../main/trainer/launcher.js';
import type { GpuTrainerWindow } from './gpu-trainer-window.js';

/** A launcher whose trainers reach a hidden GPU trainer window through this process. */
export function gpuRelayLauncher(
  base: TrainerLauncher,
  openWindow: () => GpuTrainerWindow,
): TrainerLauncher {
  return (options = {}) => {
    const child = base({ ...options, env: { ...options.env, BNLAB_GPU_ROUTE: 'parent' } });
    let window: GpuTrainerWindow | null = null;
    let gone: string | null = null;
    // Replies come back in request order (the page answers one at a time).
    const waiting: number[] = [];
    const reply = (id: number, body: unknown): void => {
      const envelope: EngineReplyEnvelope = { kind: 'engine-reply', id, reply: body };
      child.send(envelope);
    };
    const fail = (why: string): void => {
      gone ??= why;
      for (const id of waiting.splice(0)) reply(id, { kind: 'error', message: gone });
    };
    const windowFor = (): GpuTrainerWindow => {
      if (window) return window;
      const opened = openWindow();
      window = opened;
      // A released window's late events (its `closed`, a stray reply) are not the current one's.
      opened.onGone((why) => {
        if (window === opened) fail(why);
      });
      opened.port.on('message', ({ data }: { data: unknown }) => {
        if (window !== opened) return;
        const id = waiting.shift();
        if (id === undefined) return;
        const parsed = EngineReply.safeParse(data);
        reply(
          id,
          parsed.success
            ? parsed.data
            : {
                kind: 'error',
                message: `malformed reply from the GPU trainer window: ${formatIssues(parsed.error)}`,
              },
        );
      });
      return opened;
    };
    const engineMessage = (raw: unknown): boolean => {
      if (EngineReleaseEnvelope.safeParse(raw).success) {
        // The trainer is done with the window: close it (its GPU memory with it). Nothing is
        // pending then (requests are answered in order); a later request opens a fresh one.
        fail('the GPU trainer window was released');
        window?.close();
        window = null;
        gone = null;
        return true;
      }
      if ((raw as { kind?: unknown } | null)?.kind !== 'engine-request') return false;
      const parsed = EngineRequestEnvelope.safeParse(raw);
      const id = (raw as { id?: unknown }).id;
      if (!parsed.success) {
        if (typeof id === 'number')
          reply(id, {
            kind: 'error',
            message: `malformed engine request: ${formatIssues(parsed.error)}`,
          });
        return true;
      }
      if (gone) {
        reply(parsed.data.id, { kind: 'error', message: gone });
        return true;
      }
      const target = windowFor();
      waiting.push(parsed.data.id);
      if (gone) fail(gone);
      else target.port.postMessage(parsed.data.request);
      return true;
    };
    // One interceptor, whatever the supervisor registers: engine envelopes never reach it.
    const listeners: Array<(message: unknown) => void> = [];
    child.onMessage((message) => {
      if (!engineMessage(message)) for (const listener of listeners) listener(message);
    });
    child.onExit(() => window?.close());
    const relayed: TrainerProcess = {
      get pid() {
        return child.pid;
      },
      send: (message) => child.send(message),
      onMessage: (listener) => void listeners.push(listener),
      onExit: (listener) => child.onExit(listener),
      onSpawnError: (listener) => child.onSpawnError(listener),
      onStderr: (listener) => child.onStderr(listener),
      kill: () => child.kill(),
    };
    return relayed;
  };
}
