/**
 * A whole run, in-process: model, optimizer, epochs of seeded batches, validation, probes,
 * checkpoints and the event stream (`started`, throttled `progress`, `epoch`, `probe`, exactly one
 * terminal event). The trainer process (worker.ts) wraps this; tests call it directly.
 *
 * Invariants: the checkpoint of epoch N is on disk before epoch N's `epoch` event; `shouldStop` is
 * checked after every batch; a non-finite loss ends the run as `diverged` at that batch; every
 * step's tensors are disposed (the tensor count after an epoch equals the count before it).
 */
import type { RunConfig } from '../api/config.js';
import type { BackendInfo, EventOf, TerminalEvent, TrainerEvent } from '../api/events.js';
import { epochOrder, makeBatch } from '../data/batches.js';
import type { ImageSet, LoadedDataset } from '../data/types.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { createLocalEngine } from './engine/local-engine.js';
import type { HostBatch, TensorEngine } from './engine/types.js';
import type { HostTensor } from './engine/wire-tensor.js';
import { learningRateAt } from './optimizer.js';

/** Images per evaluation batch (inference only, so larger than a training batch). */
const EVAL_BATCH = 256;

export interface TrainRunOptions {
  config: RunConfig;
  dataset: LoadedDataset;
  emit: (event: TrainerEvent) => void;
  /** Checked after every batch; true ends the run as `stopped`. */
  shouldStop: () => boolean;
  /** `<runDir>/checkpoints`; epoch folders are written here. */
  checkpointDir: string;
  /** 0 for a fresh run; N to continue from the checkpoint of epoch N. */
  resumeFromEpoch: number;
  backend: BackendInfo;
  /**
   * Where the tensors live (model, steps, probes, checkpoint state); the backend tfjs is switched
   * to in this process when left out. The run disposes its model, not the engine.
   */
  engine?: TensorEngine;
  /** Epoch milliseconds; injectable for tests of throttling and durations. */
  clock?: () => number;
  /** Process id reported in `started` (defaults to this process). */
  pid?: number;
}

/** Runs the run to its end and returns the terminal event it emitted (it never throws). */
export async function trainRun(options: TrainRunOptions): Promise<TerminalEvent> {
  const { config, dataset, emit } = options;
  const clock = options.clock ?? Date.now;
  let epochsCompleted = options.resumeFromEpoch;
  const engine = options.engine ?? createLocalEngine();
  let probeX: HostTensor | null = null;
  let learningRate = 0;
  const finish = (event: TerminalEvent): TerminalEvent => {
    emit(event);
    return event;
  };
  try {
    const { training, seed } = config;
    const summary = await engine.init({
      variant: config.variant,
      input: inputSpec(dataset),
      seed,
      training,
    });
    learningRate = learningRateAt(training, 1);
    const batchesPerEpoch = Math.ceil(dataset.train.count / training.batchSize);
    let globalStep = 0;
    if (options.resumeFromEpoch > 0) {
      const { manifest, file, state } = await loadCheckpoint(
        options.checkpointDir,
        options.resumeFromEpoch,
      );
      await engine.loadState(state).catch((error: unknown) => {
        throw new Error(`${file}: ${(error as Error).message}`);
      });
      globalStep = manifest.globalStep;
    }
    emit({
      kind: 'started',
      time: clock(),
      backend: options.backend,
      model: summary,
      dataset: {
        name: dataset.name,
        inputShape: [dataset.height, dataset.width, dataset.channels],
        classes: dataset.classNames.length,
        trainCount: dataset.train.count,
        validationCount: dataset.validation.count,
        testCount: dataset.test.count,
      },
      resumedFromEpoch: options.resumeFromEpoch,
      pid: options.pid ?? process.pid,
    });
    if (dataset.train.count === 0) throw new Error('the training split is empty');
    const probeCount = Math.min(training.probeImages, dataset.validation.count);
    if (probeCount > 0) {
      probeX = toHost(dataset.validation, dataset, range(0, probeCount)).x;
    }
    const probe = async (epoch: number, epochEnd: boolean): Promise<void> => {
      if (!probeX) return;
      const layers = await engine.probe(probeX);
      emit({ kind: 'probe', time: clock(), epoch, step: globalStep, epochEnd, layers });
    };

    for (let epoch = options.resumeFromEpoch + 1; epoch <= training.epochs; epoch++) {
      const lr = learningRateAt(training, epoch);
      if (lr !== learningRate) await engine.setLearningRate(lr);
      learningRate = lr;
      const started = clock();
      let lastProgress = -Infinity;
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      const order = epochOrder(dataset.train.count, seed, epoch);
      for (let b = 0; b < batchesPerEpoch; b++) {
        const indices = order.subarray(b * training.batchSize, (b + 1) * training.batchSize);
        const augment = training.augment ? { seed, epoch, batch: b } : null;
        const result = await engine.step(
          toHost(dataset.train, dataset, indices, augment),
          globalStep,
        );
        globalStep++;
        if (!Number.isFinite(result.loss)) {
          return finish({
            kind: 'diverged',
            time: clock(),
            epochsCompleted,
            epoch,
            batch: b + 1,
            loss: String(result.loss),
          });
        }
        lossSum += result.loss * indices.length;
        correct += result.correct;
        seen += indices.length;
        const now = clock();
        if (now - lastProgress >= training.progressIntervalMs || b === batchesPerEpoch - 1) {
          lastProgress = now;
          emit(
            progressEvent(
              now,
              epoch,
              b + 1,
              batchesPerEpoch,
              lossSum / seen,
              correct / seen,
              seen,
              now - started,
            ),
          );
        }
        // One turn of the event loop per batch: tfjs's data() resolves as a microtask on wasm/cpu,
        // so without this the IPC channel (progress out, `stop` in) would wait for the epoch end.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.shouldStop())
          return finish({ kind: 'stopped', time: clock(), epochsCompleted });
        if (
          training.probeEveryBatches > 0 &&
          (b + 1) % training.probeEveryBatches === 0 &&
          b < batchesPerEpoch - 1
        ) {
          await probe(epoch, false);
        }
      }
      const trainMs = clock() - started;
      const val = await evaluate(engine, dataset.validation, dataset);
      await saveCheckpoint(options.checkpointDir, epoch, globalStep, await engine.saveState());
      epochsCompleted = epoch;
      emit({
        kind: 'epoch',
        time: clock(),
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        learningRate,
        durationMs: clock() - started,
        imagesPerSecond: trainMs > 0 ? (seen * 1000) / trainMs : 0,
      });
      await probe(epoch, true);
      if (options.shouldStop() && epoch < training.epochs)
        return finish({ kind: 'stopped', time: clock(), epochsCompleted });
    }
    return finish({ kind: 'completed', time: clock(), epochsCompleted });
  } catch (error) {
    return finish({
      kind: 'failed',
      time: clock(),
      epochsCompleted,
      message: (error as Error).message ?? String(error),
    });
  } finally {
    await engine.dispose().catch(() => undefined);
  }
}

function progressEvent(
  time: number,
  epoch: number,
  batch: number,
  batchesPerEpoch: number,
  loss: number,
  accuracy: number,
  images: number,
  elapsedMs: number,
): EventOf<'progress'> {
  const imagesPerSecond = elapsedMs > 0 ? (images * 1000) / elapsedMs : 0;
  return { kind: 'progress', time, epoch, batch, batchesPerEpoch, loss, accuracy, imagesPerSecond };
}

/** Mean loss and accuracy of a split in inference mode; (0, 0) for an empty split. */
async function evaluate(
  engine: TensorEngine,
  set: ImageSet,
  dataset: LoadedDataset,
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += EVAL_BATCH) {
    const result = await engine.evaluate(
      toHost(set, dataset, range(start, Math.min(set.count, start + EVAL_BATCH))),
    );
    lossSum += result.lossSum;
    correct += result.correct;
  }
  if (set.count === 0) return { loss: 0, accuracy: 0 };
  // A diverged-but-not-caught validation loss must still fit the event schema.
  const loss = lossSum / set.count;
  return { loss: Number.isFinite(loss) ? loss : Number.MAX_VALUE, accuracy: correct / set.count };
}

function toHost(
  set: ImageSet,
  dataset: LoadedDataset,
  indices: ArrayLike<number>,
  augment: { seed: number; epoch: number; batch: number } | null = null,
): HostBatch {
  const batch = makeBatch(set, dataset, indices, augment);
  return {
    x: {
      name: 'x',
      shape: [batch.count, dataset.height, dataset.width, dataset.channels],
      dtype: 'float32',
      data: batch.x,
    },
    labels: { name: 'labels', shape: [batch.count], dtype: 'int32', data: batch.labels },
  };
}

function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: end - start }, (_, i) => start + i);
}

function inputSpec(dataset: LoadedDataset): {
  height: number;
  width: number;
  channels: number;
  classes: number;
} {
  return {
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    classes: dataset.classNames.length,
  };
}
