/**
 * A stand-in trainer for the kill test: marks the run running with its own pid, records epoch 1
 * and some progress of epoch 2, tells the parent, then waits to be killed.
 * Usage: node --import tsx kill-writer.ts <home> <runId>
 */
import { RunStore } from '../../../../main/store/index.js';

const [home, runId] = process.argv.slice(2) as [string, string];
const store = new RunStore(home);
await store.updateRun(runId, {
  status: 'running',
  pid: process.pid,
  startedAt: new Date().toISOString(),
});
const time = Date.now();
await store.appendEvents(runId, [
  {
    kind: 'epoch',
    time,
    epoch: 1,
    trainLoss: 1,
    trainAccuracy: 0.5,
    valLoss: 1,
    valAccuracy: 0.5,
    learningRate: 0.01,
    durationMs: 10,
    imagesPerSecond: 1,
  },
]);
await store.updateRun(runId, { epochsCompleted: 1 });
await store.appendEvents(runId, [
  {
    kind: 'progress',
    time,
    epoch: 2,
    batch: 1,
    batchesPerEpoch: 9,
    loss: 1,
    accuracy: 0.5,
    imagesPerSecond: 1,
  },
]);
process.send?.('ready');
setInterval(() => undefined, 1000);
