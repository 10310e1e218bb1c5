/**
 * The real lab in browser mode, training, while clients holding the token send every kind of
 * broken frame (issue 10, defect 1: one such frame once took `bnlab serve` down and interrupted
 * every run). Each ends its own connection; the run trains to the end and the lab keeps answering.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ExperimentDetail } from '../../../../main/api/contract.js';
import { RunRecord } from '../../../../main/api/records.js';
import { MAX_FRAME_BYTES } from '../../../../main/api/ws-protocol.js';
import { serve, type Serving } from '../../../../main/server/serve.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';
import { PROTOCOL_VIOLATIONS, frame, openRaw } from './raw-socket.js';
import { call, openClient } from './ws-call.js';

let root: string;
let serving: Serving | null = null;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-serve-hostile-'));
  await mkdir(path.join(root, 'renderer'));
  await writeFile(path.join(root, 'renderer', 'index.html'), '<!doctype html><title>lab</title>');
});
afterEach(async () => {
  await serving?.stop();
  serving = null;
  await rm(root, { recursive: true, force: true });
});

/** The result of a call that must succeed. */
async function result(ws: WebSocket, id: number, method: string, params: unknown) {
  const reply = await call(ws, id, method, params);
  if (reply.type !== 'result') throw new Error(`${method}: ${JSON.stringify(reply)}`);
  return reply.result;
}

it('a run trains to the end while clients send malformed and oversized frames', async () => {
  serving = await serve({
    home: path.join(root, 'home'),
    staticDir: path.join(root, 'renderer'),
    parallel: 1,
    log: () => undefined,
    warn: () => undefined,
  });
  const ws = await openClient(serving);
  let id = 0;
  const spec = tinyExperiment({ name: 'hostile', training: { epochs: 2 } }, [
    { name: 'bn', width: 0.0625, bn: 'before-activation' },
  ]);
  const detail = ExperimentDetail.parse(
    await result(ws, ++id, 'experiments.create', { spec, backend: 'cpu' }),
  );
  const runId = detail.runs[0]!.id;
  const status = async () => RunRecord.parse(await result(ws, ++id, 'runs.get', { id: runId }));

  // Wait until the trainer runs, so the attacks land while it trains.
  while ((await status()).status === 'queued') await new Promise((r) => setTimeout(r, 200));
  const attacks = [
    ...PROTOCOL_VIOLATIONS.map(([, bytes]) => bytes),
    frame(Buffer.alloc(MAX_FRAME_BYTES + 1, 'x')),
  ];
  for (const bytes of attacks) {
    const raw = await openRaw(serving.port, serving.token);
    raw.socket.write(bytes);
    await raw.closed;
  }

  let run = await status();
  while (run.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    run = await status();
  }
  expect(run).toMatchObject({ status: 'completed', epochsCompleted: 2, error: null });
  ws.terminate();
});
