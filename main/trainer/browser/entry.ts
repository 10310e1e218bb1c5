/**
 * The browser bundle's entry (built by scripts/build-gpu-trainer.mjs into
 * out/gpu-trainer/trainer.js): the project's own model, train-step, optimizer and probe code
 * (local-engine.ts) on tfjs's webgpu or webgl backend, answering engine-protocol requests. The
 * Chromium route calls `globalThis.bnlabEngine.handle(request)` through Playwright; the Electron
 * trainer window's preload hands it a MessagePort (see electron/gpu-trainer-window.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { createEngineServer, type EngineHandler } from '../engine/engine-server.js';
import { createLocalEngine } from '../engine/local-engine.js';
import { detectAdapter } from './adapter.js';

const handle: EngineHandler = createEngineServer(createLocalEngine(), async (backend) => {
  const adapter = await detectAdapter(backend);
  if (!(await tf.setBackend(backend)))
    throw new Error(`tfjs could not start its ${backend} backend`);
  await tf.ready();
  return { adapter, tfjsVersion: tf.version_core };
});

interface PortLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
}
interface WindowLike {
  addEventListener(
    type: 'message',
    listener: (event: { data: unknown; ports: PortLike[] }) => void,
  ): void;
}

(globalThis as { bnlabEngine?: { handle: EngineHandler } }).bnlabEngine = { handle };

// Electron: the trainer window's preload posts `bnlab:engine-port` with the port to the driver.
// Requests on a port are answered in order, one at a time.
(globalThis as unknown as WindowLike).addEventListener?.('message', (event) => {
  if (event.data !== 'bnlab:engine-port') return;
  const port = event.ports[0];
  if (!port) return;
  let queue: Promise<void> = Promise.resolve();
  port.onmessage = ({ data }) => {
    queue = queue.then(async () => port.postMessage(await handle(data)));
  };
});
