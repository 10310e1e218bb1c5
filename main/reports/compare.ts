/**
 * Runs of one or several experiments side by side: each run is its own line (no mean, no band —
 * runs of different experiments are never averaged), named by experiment, variant and seed, with
 * the settings that differ between them and whether that makes a controlled comparison.
 */
import type { Comparison } from '../api/contract.js';
import { epochMetric } from '../api/events.js';
import type { ExperimentRecord } from '../api/records.js';
import {
  FRACTION_RANGE,
  LOSS_RANGE,
  variantColor,
  type ChartModel,
  type ChartSeries,
} from './chart-model.js';
import { splitFields } from './config-diff.js';
import { epochEvents, type ReportRun } from './data.js';
import { runFacts } from './run-facts.js';

/** One compared run with the experiment it belongs to. */
export interface ComparedRun {
  experiment: ExperimentRecord;
  run: ReportRun;
}

/** What a comparison report is made from; runs in the order the user picked them. */
export interface CompareData {
  runs: ComparedRun[];
  generatedAt: string;
  appVersion: string;
}

/** How a run is named in the comparison: "experiment · variant · seed N". */
export function runLabel(run: ReportRun['record']): string {
  return `${run.experimentName} · ${run.variant.name} · seed ${run.seed}`;
}

type Record_ = ReportRun['record'];

/** The settings compared, in words, and how to read each from a run record. */
const SETTINGS: readonly [string, (r: Record_) => string | number | undefined][] = [
  ['dataset', (r) => r.dataset],
  ['architecture', (r) => r.variant.architecture],
  ['batch normalization', (r) => r.variant.bn],
  ['BN momentum', (r) => (r.variant.bn === 'none' ? undefined : r.variant.bnMomentum)],
  ['BN epsilon', (r) => (r.variant.bn === 'none' ? undefined : r.variant.bnEpsilon)],
  ['dropout (dense)', (r) => r.variant.dropout],
  ['dropout (conv)', (r) => r.variant.convDropout],
  ['activation', (r) => r.variant.activation],
  ['width', (r) => r.variant.width],
  ['learning rate', (r) => r.variant.learningRate ?? r.training.learningRate],
  ['epochs', (r) => r.training.epochs],
  ['batch size', (r) => r.training.batchSize],
  ['optimizer', (r) => r.training.optimizer],
  ['momentum', (r) => (r.training.optimizer === 'sgd' ? r.training.momentum : undefined)],
  ['weight decay', (r) => r.training.weightDecay],
  ['schedule', (r) => r.training.schedule],
  ['augmentation', (r) => (r.training.augment ? 'on' : 'off')],
  ['training images', (r) => r.training.trainSubset ?? 'all'],
  ['validation images', (r) => r.training.validationSubset ?? 'all'],
];

/** Who the runs are, which settings differ, and what the comparison can say. */
export function compareRuns(runs: readonly ReportRun['record'][]): Comparison {
  const names = SETTINGS.map(([name]) => name);
  const read = new Map(SETTINGS);
  const valueOf = (r: Record_, field: string) => read.get(field)?.(r);
  const { differing, shared } = splitFields(runs, names, valueOf);
  const experiments = new Set(runs.map((r) => r.experimentId)).size;
  const seeds = new Set(runs.map((r) => r.seed));
  const control =
    differing.length === 0
      ? 'same-settings'
      : differing.length === 1
        ? 'controlled'
        : 'uncontrolled';
  const notes: string[] = [];
  if (control === 'uncontrolled')
    notes.push(
      `Not a controlled comparison: the runs differ in ${differing.length} settings (${differing.join(', ')}), so a difference between their curves cannot be put down to any one of them.`,
    );
  else if (control === 'controlled')
    notes.push(`The runs differ in one setting only: ${differing[0] ?? ''}.`);
  else notes.push('The runs have the same settings: they differ only by seed or experiment.');
  if (seeds.size > 1)
    notes.push(
      'The runs have different seeds (initial weights and data order): part of any difference is seed-to-seed variation.',
    );
  if (experiments > 1)
    notes.push(
      `The runs come from ${experiments} experiments; each run is drawn as its own line, nothing is averaged across experiments.`,
    );
  return {
    runs: runs.map((run) => ({ run, label: runLabel(run) })),
    differing: differing.map((field) => ({
      field,
      values: runs.map((r) => valueOf(r, field) ?? '—'),
    })),
    shared,
    experiments,
    control,
    notes,
  };
}

/** Per run: best and final validation accuracy, final losses and whether it learned. */
export function comparedRunFacts(data: CompareData) {
  return data.runs.map(({ run }) => {
    const facts = runFacts(run);
    const last = facts.epochs.at(-1);
    return {
      label: runLabel(run.record),
      status: run.record.status,
      epochs: facts.epochs.length,
      best: facts.best,
      finalValAccuracy: last?.valAccuracy ?? null,
      finalValLoss: last?.valLoss ?? null,
      finalTrainLoss: last?.trainLoss ?? null,
      verdict: facts.verdict,
    };
  });
}

/** Loss and accuracy per epoch, one colour per run, train solid and validation dashed. */
export function compareCharts(data: CompareData): ChartModel[] {
  const perRun = data.runs.map(({ run }) => ({ run, epochs: epochEvents(run) }));
  const epochs = [...new Set(perRun.flatMap((r) => r.epochs.map((e) => e.epoch)))].sort(
    (a, b) => a - b,
  );
  if (epochs.length === 0) return [];
  const facts = comparedRunFacts(data);
  const chart = (metric: 'loss' | 'accuracy'): ChartModel => ({
    id: `compare-${metric}`,
    section: 'curves',
    group: null,
    title: `${metric === 'loss' ? 'Loss' : 'Accuracy'} per run (train solid, validation dashed)`,
    xLabel: 'epoch',
    yLabel: metric,
    labels: epochs.map(String),
    ticks: null,
    yFormat: metric === 'loss' ? 'number' : 'percent',
    stepped: false,
    ...(metric === 'loss' ? LOSS_RANGE : FRACTION_RANGE),
    series: perRun.flatMap(({ run, epochs: events }, i): ChartSeries[] => {
      const stuck = facts[i]?.verdict?.learned === false ? ' (did not learn)' : '';
      const line = (split: 'train' | 'validation'): ChartSeries => ({
        label: `${runLabel(run.record)} ${split}${stuck}`,
        color: variantColor(i),
        dashed: split === 'validation',
        data: epochs.map((epoch) => {
          const e = events.find((x) => x.epoch === epoch);
          if (!e) return null;
          const value = epochMetric(e, metric, split);
          return Number.isFinite(value) ? value : null;
        }),
        band: null,
      });
      return [line('train'), line('validation')];
    }),
  });
  return [chart('loss'), chart('accuracy')];
}
