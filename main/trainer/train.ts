/**
 * A whole run, in-process: model, optimizer, epochs of seeded batches, validation, probes,
 * checkpoints and the event stream (`started`, throttled `progress`, `epoch`, `probe`, exactly one
 * terminal event). The trainer process (worker.ts) wraps this; tests call it directly.
 *
 * Invariants: the checkpoint of epoch N is on disk before epoch N's `epoch` event; `shouldStop` is
 * checked after every batch; a non-finite loss ends the run as `diverged` at that batch; every
 * step's tensors are disposed (the tensor count after an epoch equals the count before it).
 */
import { runTraining, type RunConfig } from '../api/config.js';
import type { BackendInfo, EventOf, TerminalEvent, TrainerEvent } from '../api/events.js';
import { epochOrder } from '../data/batches.js';
import type { LoadedDataset } from '../data/types.js';
import { loadNewestCheckpoint, saveCheckpoint } from './checkpoint.js';
import { createLocalEngine } from './engine/local-engine.js';
import type { HostBatch, TensorEngine } from './engine/types.js';
import { evaluate, range, toHost, trainEvalIndices } from './evaluation.js';
import { learningRateAt } from './optimizer.js';

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
  let resumedFrom = options.resumeFromEpoch;
  const engine = options.engine ?? createLocalEngine();
  let probeBatch: HostBatch | null = null;
  let learningRate = 0;
  const finish = (event: TerminalEvent): TerminalEvent => {
    emit(event);
    return event;
  };
  try {
    const { seed } = config;
    const training = runTraining(config.variant, config.training);
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
      const manifest = await loadNewestCheckpoint(
        options.checkpointDir,
        options.resumeFromEpoch,
        engine,
        (message) => emit({ kind: 'log', time: clock(), level: 'warning', message }),
      );
      globalStep = manifest.globalStep;
      resumedFrom = epochsCompleted = manifest.epoch;
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
      resumedFromEpoch: resumedFrom,
      pid: options.pid ?? process.pid,
    });
    if (dataset.train.count === 0) throw new Error('the training split is empty');
    const probeCount = Math.min(training.probeImages, dataset.validation.count);
    if (probeCount > 0) probeBatch = toHost(dataset.validation, dataset, range(0, probeCount));
    const probe = async (epoch: number, epochEnd: boolean): Promise<void> => {
      if (!probeBatch) return;
      const result = await engine.probe(probeBatch, { seed, step: globalStep });
      emit({ kind: 'probe', time: clock(), epoch, step: globalStep, epochEnd, ...result });
    };
    const trainEval = trainEvalIndices(dataset.train.count, training.trainEvalImages);

    for (let epoch = resumedFrom + 1; epoch <= training.epochs; epoch++) {
      const lr = learningRateAt(training, epoch);
      if (lr !== learningRate) await engine.setLearningRate(lr);
      learningRate = lr;
      const started = clock();
      let lastProgress = -Infinity;
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      // What the previous progress event had counted: the next one reports the window since.
      let reported = { lossSum: 0, correct: 0, seen: 0, batch: 0 };
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
          const windowSeen = seen - reported.seen;
          emit({
            ...progressEvent(
              now,
              epoch,
              b + 1,
              batchesPerEpoch,
              lossSum / seen,
              correct / seen,
              seen,
              now - started,
            ),
            windowLoss: (lossSum - reported.lossSum) / windowSeen,
            windowAccuracy: (correct - reported.correct) / windowSeen,
            windowBatches: b + 1 - reported.batch,
            step: globalStep,
          });
          reported = { lossSum, correct, seen, batch: b + 1 };
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
      // Train metrics in inference mode, on the same code path as validation: the running mean
      // below was taken with dropout on and BN on batch statistics while the weights moved.
      const train = await evaluate(engine, dataset.train, dataset, trainEval);
      const val = await evaluate(engine, dataset.validation, dataset);
      await saveCheckpoint(options.checkpointDir, epoch, globalStep, await engine.saveState());
      epochsCompleted = epoch;
      emit({
        kind: 'epoch',
        time: clock(),
        epoch,
        trainLoss: train.loss,
        trainAccuracy: train.accuracy,
        trainEvalImages: trainEval.length,
        trainRunningLoss: lossSum / seen,
        trainRunningAccuracy: correct / seen,
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
