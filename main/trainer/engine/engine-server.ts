/**
 * The tensor-engine side of the engine protocol: parses a request, runs it on a local engine and
 * answers exactly one reply (an `error` reply rather than a throw). Runs in the Chromium page and
 * the Electron trainer window (browser bundle), and in tests in-process.
 */
import { formatIssues } from '../../api/config.js';
import { assertNever } from '../../api/events.js';
import {
  type AdapterInfo,
  EngineReply,
  EngineRequest,
  type GpuBackendName,
  type WireState,
} from '../../api/engine-protocol.js';
import type { EngineState, HostBatch, TensorEngine } from './types.js';
import { fromWire, toWire } from './wire-tensor.js';

/** Finds the adapter and switches tfjs to the backend (browser-only; injected). */
export type OpenBackend = (
  backend: GpuBackendName,
) => Promise<{ adapter: AdapterInfo; tfjsVersion: string }>;

/** A function that answers one raw request with one reply. */
export type EngineHandler = (raw: unknown) => Promise<EngineReply>;

export function createEngineServer(engine: TensorEngine, open: OpenBackend): EngineHandler {
  return async (raw) => {
    const parsed = EngineRequest.safeParse(raw);
    if (!parsed.success)
      return { kind: 'error', message: `malformed engine request: ${formatIssues(parsed.error)}` };
    try {
      return await answer(engine, open, parsed.data);
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  };
}

async function answer(
  engine: TensorEngine,
  open: OpenBackend,
  request: EngineRequest,
): Promise<EngineReply> {
  switch (request.kind) {
    case 'open':
      return { kind: 'opened', ...(await open(request.backend)) };
    case 'init': {
      const { variant, input, seed, training } = request;
      return { kind: 'ready', summary: await engine.init({ variant, input, seed, training }) };
    }
    case 'step':
      return { kind: 'stepped', ...(await engine.step(batchOf(request), request.globalStep)) };
    case 'evaluate':
      return { kind: 'evaluated', ...(await engine.evaluate(batchOf(request))) };
    case 'gradients': {
      const { loss, grads } = await engine.gradients(batchOf(request), request.globalStep);
      return { kind: 'gradients', loss, grads: grads.map(toWire) };
    }
    case 'set-learning-rate':
      await engine.setLearningRate(request.learningRate);
      return { kind: 'done' };
    case 'probe': {
      const at = { seed: request.seed, step: request.step };
      return { kind: 'probed', ...(await engine.probe(batchOf(request), at)) };
    }
    case 'save-state':
      return { kind: 'state', state: stateToWire(await engine.saveState()) };
    case 'load-state':
      await engine.loadState(stateFromWire(request.state));
      return { kind: 'done' };
    case 'memory':
      return { kind: 'memory', numTensors: await engine.numTensors() };
    case 'dispose':
      await engine.dispose();
      return { kind: 'done' };
    default:
      return assertNever(request);
  }
}

function batchOf(request: {
  x: WireState['variables'][number];
  labels: WireState['variables'][number];
}): HostBatch {
  return { x: fromWire(request.x), labels: fromWire(request.labels) };
}

export function stateToWire(state: EngineState): WireState {
  return {
    variables: state.variables.map(toWire),
    moving: state.moving.map(toWire),
    optimizer: state.optimizer.map(toWire),
  };
}

export function stateFromWire(state: WireState): EngineState {
  return {
    variables: state.variables.map(fromWire),
    moving: state.moving.map(fromWire),
    optimizer: state.optimizer.map(fromWire),
  };
}

/** Parses a reply; a reply that does not parse becomes an `error` reply naming the field. */
export function parseReply(raw: unknown): EngineReply {
  const parsed = EngineReply.safeParse(raw);
  return parsed.success
    ? parsed.data
    : { kind: 'error', message: `malformed engine reply: ${formatIssues(parsed.error)}` };
}
