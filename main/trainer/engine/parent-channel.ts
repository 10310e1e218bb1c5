/**
 * The trainer process's end of the desktop route (BNLAB_GPU_ROUTE=parent): engine requests go to
 * the parent process (Electron main, which relays them to the hidden trainer window) over the IPC
 * channel the trainer already has, as `engine-request` envelopes; `engine-reply` envelopes come
 * back. The window's crash reaches us as an `error` reply from the relay.
 */
import {
  type AdapterPolicy,
  type EngineReleaseEnvelope,
  EngineReplyEnvelope,
  type EngineRequest,
  type GpuBackendName,
} from '../../api/engine-protocol.js';
import { describeAdapter, type GpuSession } from '../browser/chromium-engine.js';
import { createRemoteEngine, request } from './remote-engine.js';

const pending = new Map<number, (reply: unknown) => void>();
let nextId = 0;
let listening = false;

/** True for an `engine-reply` envelope (worker.ts passes those here, not to the run). */
export function takeEngineReply(raw: unknown): boolean {
  const parsed = EngineReplyEnvelope.safeParse(raw);
  if (!parsed.success) return false;
  const resolve = pending.get(parsed.data.id);
  pending.delete(parsed.data.id);
  resolve?.(parsed.data.reply);
  return true;
}

function call(req: EngineRequest): Promise<unknown> {
  if (!process.send || !process.connected)
    return Promise.reject(new Error('no channel to the lab for the GPU trainer window'));
  if (!listening) {
    listening = true;
    process.on('message', (raw: unknown) => void takeEngineReply(raw));
  }
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    process.send?.({ kind: 'engine-request', id, request: req });
  });
}

/** Tells the main process to close the trainer window (no reply; a later request reopens one). */
function release(): Promise<void> {
  const envelope: EngineReleaseEnvelope = { kind: 'engine-release' };
  if (process.send && process.connected) process.send(envelope);
  return Promise.resolve();
}

/** Opens `backend` in the desktop app's hidden trainer window, under `policy`. */
export async function openParentEngine(
  backend: GpuBackendName,
  policy: AdapterPolicy,
): Promise<GpuSession> {
  const opened = await request(call, { kind: 'open', backend });
  // A refused adapter's window is closed, not kept for the whole run beside a CPU backend.
  if (policy === 'hardware' && opened.adapter.software) {
    await release();
    throw new Error(`${backend}: only a software adapter (${describeAdapter(opened.adapter)})`);
  }
  if (policy === 'software' && !opened.adapter.software) {
    await release();
    throw new Error(`${backend}: the trainer window has a hardware adapter, not a software one`);
  }
  return {
    engine: createRemoteEngine(call),
    adapter: opened.adapter,
    tfjsVersion: opened.tfjsVersion,
    host: 'electron trainer window',
    close: release,
  };
}
