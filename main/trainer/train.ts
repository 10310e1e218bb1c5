/**
 * A whole run, in-process: model, optimizer, epochs of seeded batches, validation, probes,
 * checkpoints and the event stream (`started`, throttled `progress`, `epoch`, `probe`, exactly one
 * terminal event). The trainer process (worker.ts) wraps this; tests call it directly.
 *
 * Invariants: the checkpoint of epoch N is on disk before epoch N's `epoch` event; `shouldStop` is
 * checked after every batch; a non-finite loss ends the run as `diverged` at that batch; every
 * step's tensors are disposed (the tensor count after an epoch equals the count before it).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../api/config.js';
import type { BackendInfo, EventOf, TerminalEvent, TrainerEvent } from '../api/events.js';
import { epochOrder, makeBatch } from '../data/batches.js';
import type { ImageSet, LoadedDataset } from '../data/types.js';
import { loadNewestCheckpoint, saveCheckpoint } from './checkpoint.js';
import { buildModel } from './models/index.js';
import type { Model } from './models/types.js';
import { learningRateAt } from './optimizer.js';
import { probeModel } from './probes.js';
import { createTrainer, type Trainer } from './train-step.js';

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
  let resumedFrom = options.resumeFromEpoch;
  let model: Model | null = null;
  let trainer: Trainer | null = null;
  let probeX: tf.Tensor4D | null = null;
  const finish = (event: TerminalEvent): TerminalEvent => {
    emit(event);
    return event;
  };
  try {
    const { training, seed } = config;
    model = buildModel(config.variant, inputSpec(dataset), seed);
    trainer = createTrainer(model, training, seed);
    const batchesPerEpoch = Math.ceil(dataset.train.count / training.batchSize);
    let globalStep = 0;
    if (options.resumeFromEpoch > 0) {
      const manifest = await loadNewestCheckpoint(
        options.checkpointDir,
        options.resumeFromEpoch,
        model,
        trainer,
        (message) => emit({ kind: 'log', time: clock(), level: 'warning', message }),
      );
      globalStep = manifest.globalStep;
      resumedFrom = epochsCompleted = manifest.epoch;
    }
    emit({
      kind: 'started',
      time: clock(),
      backend: options.backend,
      model: model.summary,
      dataset: {
        name: dataset.name,
        inputShape: [dataset.height, dataset.width, dataset.channels],
        classes: dataset.classNames.length,
        trainCount: dataset.train.count,
        validationCount: dataset.validation.count,
        testCount: dataset.test.count,
      },
      resumedFromEpoch: resumedFrom,
      pid: options.pid ?? process.pid,
    });
    if (dataset.train.count === 0) throw new Error('the training split is empty');
    const probeCount = Math.min(training.probeImages, dataset.validation.count);
    if (probeCount > 0) {
      const probeBatch = toTensors(dataset.validation, dataset, range(0, probeCount));
      probeBatch.labels.dispose();
      probeX = probeBatch.x;
    }
    const probe = async (epoch: number, epochEnd: boolean): Promise<void> => {
      if (!probeX || !model) return;
      const layers = await probeModel(model, probeX);
      emit({ kind: 'probe', time: clock(), epoch, step: globalStep, epochEnd, layers });
    };

    for (let epoch = resumedFrom + 1; epoch <= training.epochs; epoch++) {
      await trainer.setLearningRate(learningRateAt(training, epoch));
      const started = clock();
      let lastProgress = -Infinity;
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      const order = epochOrder(dataset.train.count, seed, epoch);
      for (let b = 0; b < batchesPerEpoch; b++) {
        const indices = order.subarray(b * training.batchSize, (b + 1) * training.batchSize);
        const augment = training.augment ? { seed, epoch, batch: b } : null;
        const { x, labels } = toTensors(dataset.train, dataset, indices, augment);
        const result = await trainer
          .step(x, labels, globalStep)
          .finally(() => tf.dispose([x, labels]));
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
      const val = await evaluate(trainer, dataset.validation, dataset);
      await saveCheckpoint(options.checkpointDir, epoch, globalStep, model, trainer);
      epochsCompleted = epoch;
      emit({
        kind: 'epoch',
        time: clock(),
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        learningRate: trainer.learningRate,
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
    probeX?.dispose();
    trainer?.dispose();
    model?.dispose();
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
  trainer: Trainer,
  set: ImageSet,
  dataset: LoadedDataset,
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += EVAL_BATCH) {
    const { x, labels } = toTensors(
      set,
      dataset,
      range(start, Math.min(set.count, start + EVAL_BATCH)),
    );
    const result = await trainer.evaluate(x, labels).finally(() => tf.dispose([x, labels]));
    lossSum += result.lossSum;
    correct += result.correct;
  }
  if (set.count === 0) return { loss: 0, accuracy: 0 };
  // A diverged-but-not-caught validation loss must still fit the event schema.
  const loss = lossSum / set.count;
  return { loss: Number.isFinite(loss) ? loss : Number.MAX_VALUE, accuracy: correct / set.count };
}

function toTensors(
  set: ImageSet,
  dataset: LoadedDataset,
  indices: ArrayLike<number>,
  augment: { seed: number; epoch: number; batch: number } | null = null,
): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const batch = makeBatch(set, dataset, indices, augment);
  return {
    x: tf.tensor4d(batch.x, [batch.count, dataset.height, dataset.width, dataset.channels]),
    labels: tf.tensor1d(batch.labels, 'int32'),
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
