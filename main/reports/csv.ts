/**
 * CSV export, long format: one value per row, header
 * `experiment,run,variant,seed,epoch,split,metric,value`.
 *
 * - split `train` / `validation`: metrics `loss` and `accuracy` from each epoch summary (train:
 *   inference mode on `eval_images` training images); split `train` also has `running_loss` and
 *   `running_accuracy` (the training-mode mean over the epoch's steps), `eval_images`,
 *   `learning_rate`, `duration_ms` and `images_per_second`. Logs older than the inference-mode
 *   train metrics have no running or eval-images rows (their loss/accuracy are the running mean).
 * - split `probe`: from each epoch-end probe (epoch 0 = before training) and each layer,
 *   `dead_fraction:<layer>` (ReLU), `saturated_fraction:<layer>` and `linear_fraction:<layer>`
 *   (tanh/sigmoid), `pre_mean:<layer>`, `pre_std:<layer>`, `post_mean:<layer>`, `post_std:<layer>`,
 *   `bn_gamma_mean|std:<layer>` and `bn_beta_mean|std:<layer>` (with BN), `grad_norm:<layer>` and
 *   `zero_grad_fraction:<layer>`; and per probe `weight_scaled_accuracy` and
 *   `mc_dropout_accuracy:k=<k>` (with dropout), `bn_moving_stats_accuracy` and
 *   `bn_batch_stats_accuracy` (with BN). Histograms are in the JSON export only.
 *
 * RFC 4180 quoting by csv-stringify; text cells starting with = + - @ TAB CR are prefixed with `'`
 * so a spreadsheet never evaluates them as formulas, while numbers stay numbers (also negative ones).
 */
import { stringify } from 'csv-stringify/sync';
import { epochEvents, epochProbes, type ReportData, type ReportRun } from './data.js';

export const CSV_COLUMNS = [
  'experiment',
  'run',
  'variant',
  'seed',
  'epoch',
  'split',
  'metric',
  'value',
] as const;

type Row = [string, string, string, number, number, string, string, number];

/** The whole experiment as long-format CSV text (CRLF line ends, header first). */
export function renderCsv(data: ReportData): string {
  const rows = data.runs.flatMap((run) => runRows(data.experiment.name, run));
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
    // Full precision: the CSV must read back to the stored numbers.
    cast: { number: (value) => String(value) },
  });
}

function runRows(experiment: string, run: ReportRun): Row[] {
  const { id, variant, seed } = run.record;
  const row = (epoch: number, split: string, metric: string, value: number): Row => [
    experiment,
    id,
    variant.name,
    seed,
    epoch,
    split,
    metric,
    value,
  ];
  const rows: Row[] = [];
  for (const e of epochEvents(run)) {
    rows.push(
      row(e.epoch, 'train', 'loss', e.trainLoss),
      row(e.epoch, 'train', 'accuracy', e.trainAccuracy),
      row(e.epoch, 'validation', 'loss', e.valLoss),
      row(e.epoch, 'validation', 'accuracy', e.valAccuracy),
      ...(e.trainRunningLoss !== undefined
        ? [row(e.epoch, 'train', 'running_loss', e.trainRunningLoss)]
        : []),
      ...(e.trainRunningAccuracy !== undefined
        ? [row(e.epoch, 'train', 'running_accuracy', e.trainRunningAccuracy)]
        : []),
      ...(e.trainEvalImages !== undefined
        ? [row(e.epoch, 'train', 'eval_images', e.trainEvalImages)]
        : []),
      row(e.epoch, 'train', 'learning_rate', e.learningRate),
      row(e.epoch, 'train', 'duration_ms', e.durationMs),
      row(e.epoch, 'train', 'images_per_second', e.imagesPerSecond),
    );
  }
  for (const probe of epochProbes(run)) {
    // A metric that is null (not applicable) or absent (older log) gets no row.
    const push = (metric: string, value: number | null | undefined): void => {
      if (value !== null && value !== undefined)
        rows.push(row(probe.epoch, 'probe', metric, value));
    };
    for (const l of probe.layers) {
      push(`dead_fraction:${l.layer}`, l.deadFraction);
      push(`saturated_fraction:${l.layer}`, l.saturatedFraction);
      push(`linear_fraction:${l.layer}`, l.linearFraction);
      push(`pre_mean:${l.layer}`, l.preStats.mean);
      push(`pre_std:${l.layer}`, l.preStats.std);
      push(`post_mean:${l.layer}`, l.postStats.mean);
      push(`post_std:${l.layer}`, l.postStats.std);
      push(`bn_gamma_mean:${l.layer}`, l.bnGamma?.mean);
      push(`bn_gamma_std:${l.layer}`, l.bnGamma?.std);
      push(`bn_beta_mean:${l.layer}`, l.bnBeta?.mean);
      push(`bn_beta_std:${l.layer}`, l.bnBeta?.std);
      push(`grad_norm:${l.layer}`, l.gradNorm);
      push(`zero_grad_fraction:${l.layer}`, l.zeroGradFraction);
    }
    const ensemble = probe.dropoutEnsemble;
    if (ensemble) {
      push('weight_scaled_accuracy', ensemble.weightScaledAccuracy);
      ensemble.samples.forEach((k, i) =>
        push(`mc_dropout_accuracy:k=${k}`, ensemble.thinnedAccuracy[i]),
      );
    }
    push('bn_moving_stats_accuracy', probe.bnModes?.movingStatsAccuracy);
    push('bn_batch_stats_accuracy', probe.bnModes?.batchStatsAccuracy);
  }
  return rows;
}
