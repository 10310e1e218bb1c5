/**
 * A tensor engine somewhere else (a Chromium page, an Electron trainer window), reached through
 * one `call`: request out, raw reply back. Replies are parsed here; an `error` reply, a reply of
 * the wrong kind or a failed call (the page crashed, the window is gone) rejects with a message
 * that says so — the run then ends `failed` with it.
 */
import { type EngineReply, type EngineRequest, REPLY_KIND } from '../../api/engine-protocol.js';
import { parseReply, stateFromWire, stateToWire } from './engine-server.js';
import type { HostBatch, TensorEngine } from './types.js';
import { fromWire, toWire } from './wire-tensor.js';

/** Sends one request and resolves its raw reply; rejects when the other side is gone. */
export type EngineCall = (request: EngineRequest) => Promise<unknown>;

type ReplyOf<K extends EngineReply['kind']> = Extract<EngineReply, { kind: K }>;

/** Sends `request` and returns its reply, checked to be the kind that answers it. */
export async function request<R extends EngineRequest>(
  call: EngineCall,
  req: R,
): Promise<ReplyOf<(typeof REPLY_KIND)[R['kind']]>> {
  const reply = parseReply(await call(req));
  if (reply.kind === 'error') throw new Error(reply.message);
  const expected = REPLY_KIND[req.kind];
  if (reply.kind !== expected)
    throw new Error(`engine answered ${req.kind} with ${reply.kind}, expected ${expected}`);
  return reply as ReplyOf<(typeof REPLY_KIND)[R['kind']]>;
}

export function createRemoteEngine(call: EngineCall): TensorEngine {
  const wire = (batch: HostBatch) => ({ x: toWire(batch.x), labels: toWire(batch.labels) });
  return {
    init: async (spec) => (await request(call, { kind: 'init', ...spec })).summary,
    async step(batch, globalStep) {
      const { loss, correct } = await request(call, { kind: 'step', ...wire(batch), globalStep });
      return { loss, correct };
    },
    async evaluate(batch) {
      const { lossSum, correct } = await request(call, { kind: 'evaluate', ...wire(batch) });
      return { lossSum, correct };
    },
    async gradients(batch, globalStep) {
      const reply = await request(call, { kind: 'gradients', ...wire(batch), globalStep });
      return { loss: reply.loss, grads: reply.grads.map(fromWire) };
    },
    async setLearningRate(learningRate) {
      await request(call, { kind: 'set-learning-rate', learningRate });
    },
    async probe(batch, at) {
      const reply = await request(call, {
        kind: 'probe',
        ...wire(batch),
        seed: at.seed,
        step: at.step,
      });
      return {
        layers: reply.layers,
        dropoutEnsemble: reply.dropoutEnsemble,
        bnModes: reply.bnModes,
      };
    },
    saveState: async () => stateFromWire((await request(call, { kind: 'save-state' })).state),
    async loadState(state) {
      await request(call, { kind: 'load-state', state: stateToWire(state) });
    },
    numTensors: async () => (await request(call, { kind: 'memory' })).numTensors,
    async dispose() {
      await request(call, { kind: 'dispose' });
    },
  };
}
