/**
 * What the analysis needs of one run, computed once: its epochs, its best validation accuracy,
 * whether it learned (main/api/learning.ts), its final val−train gap, and which kind of train
 * numbers its log holds (inference mode since issue 8, a training-mode running mean before).
 */
import { judgeLearning, type LearningVerdict } from '../api/learning.js';
import { epochEvents, type EpochEvent, type ReportRun } from './data.js';

/** `inference`: a fixed train subset in inference mode; `running`: the epoch's training-mode mean. */
export type TrainMode = 'inference' | 'running';

export interface RunFacts {
  run: ReportRun;
  seed: number;
  epochs: EpochEvent[];
  /** Highest validation accuracy and its first epoch; null without epochs. */
  best: { accuracy: number; epoch: number } | null;
  /** Null while the run trains or before its first epoch. */
  verdict: LearningVerdict | null;
  /** valLoss − trainLoss and trainAccuracy − valAccuracy at the last epoch. */
  finalGap: { loss: number; accuracy: number } | null;
  trainMode: TrainMode;
}

/** Facts of one run; see the module comment. */
export function runFacts(run: ReportRun): RunFacts {
  const epochs = epochEvents(run);
  let best: RunFacts['best'] = null;
  for (const e of epochs)
    if (!best || e.valAccuracy > best.accuracy) best = { accuracy: e.valAccuracy, epoch: e.epoch };
  const last = epochs.at(-1);
  const started = run.events.find((e) => e.kind === 'started');
  const classes =
    run.record.datasetInfo?.classes ?? (started?.kind === 'started' ? started.dataset.classes : 10);
  return {
    run,
    seed: run.record.seed,
    epochs,
    best,
    verdict: judgeLearning({
      status: run.record.status,
      valAccuracy: last?.valAccuracy ?? null,
      valLoss: last?.valLoss ?? null,
      classes,
    }),
    finalGap: last
      ? { loss: last.valLoss - last.trainLoss, accuracy: last.trainAccuracy - last.valAccuracy }
      : null,
    trainMode: last === undefined || last.trainEvalImages !== undefined ? 'inference' : 'running',
  };
}

/** Whether a run counts in means and pairs: it has an epoch and was not flagged as not learned. */
export function counts(facts: RunFacts): boolean {
  return facts.epochs.length > 0 && facts.verdict?.learned !== false;
}

/** Which train numbers a set of runs holds: one kind, or `mixed` when old and new logs meet. */
export function trainModeOf(facts: readonly RunFacts[]): TrainMode | 'mixed' {
  const modes = new Set(facts.filter((f) => f.epochs.length > 0).map((f) => f.trainMode));
  if (modes.size > 1) return 'mixed';
  return modes.has('running') ? 'running' : 'inference';
}

/** The caveat to print next to a train-derived number, or '' for inference-mode logs. */
export function trainModeCaveat(mode: TrainMode | 'mixed'): string {
  if (mode === 'inference') return '';
  return mode === 'running'
    ? 'train numbers are the training-mode running mean of each epoch (dropout on), as these logs predate the inference-mode train evaluation'
    : 'some logs predate the inference-mode train evaluation: their train numbers are training-mode running means (dropout on)';
}
