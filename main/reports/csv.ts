/**
 * CSV export, long format: one value per row, header
 * `experiment,run,variant,seed,epoch,split,metric,value`.
 *
 * - split `train` / `validation`: metrics `loss` and `accuracy` from each epoch summary; split
 *   `train` also has `learning_rate`, `duration_ms` and `images_per_second`.
 * - split `probe`: from each epoch-end probe (epoch 0 = before training) and each layer,
 *   `dead_fraction:<layer>` (ReLU), `saturated_fraction:<layer>` (tanh/sigmoid),
 *   `pre_mean:<layer>`, `pre_std:<layer>`, `post_mean:<layer>`, `post_std:<layer>`, and where
 *   recorded `linear_fraction:<layer>`, `bn_gamma_mean|bn_gamma_std|bn_beta_mean|bn_beta_std:<layer>`,
 *   `grad_norm:<layer>`, `zero_grad_fraction:<layer>`; per probe `weight_scaled_accuracy`,
 *   `mc_dropout_accuracy:k=<k>`, `bn_moving_stats_accuracy`, `bn_batch_stats_accuracy`.
 * - split `train` also has `running_loss` / `running_accuracy` (training-mode running mean) and
 *   `eval_images` where the log has the inference-mode train evaluation.
 *   Histograms are in the JSON export only.
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
      row(e.epoch, 'train', 'learning_rate', e.learningRate),
      row(e.epoch, 'train', 'duration_ms', e.durationMs),
      row(e.epoch, 'train', 'images_per_second', e.imagesPerSecond),
    );
    if (e.trainEvalImages !== undefined)
      rows.push(row(e.epoch, 'train', 'eval_images', e.trainEvalImages));
    if (e.trainRunningLoss !== undefined)
      rows.push(row(e.epoch, 'train', 'running_loss', e.trainRunningLoss));
    if (e.trainRunningAccuracy !== undefined)
      rows.push(row(e.epoch, 'train', 'running_accuracy', e.trainRunningAccuracy));
  }
  for (const probe of epochProbes(run)) {
    for (const l of probe.layers) {
      if (l.deadFraction !== null)
        rows.push(row(probe.epoch, 'probe', `dead_fraction:${l.layer}`, l.deadFraction));
      if (l.saturatedFraction !== null)
        rows.push(row(probe.epoch, 'probe', `saturated_fraction:${l.layer}`, l.saturatedFraction));
      rows.push(
        row(probe.epoch, 'probe', `pre_mean:${l.layer}`, l.preStats.mean),
        row(probe.epoch, 'probe', `pre_std:${l.layer}`, l.preStats.std),
        row(probe.epoch, 'probe', `post_mean:${l.layer}`, l.postStats.mean),
        row(probe.epoch, 'probe', `post_std:${l.layer}`, l.postStats.std),
      );
      const optional: [string, number | null | undefined][] = [
        ['linear_fraction', l.linearFraction],
        ['bn_gamma_mean', l.bnGamma?.mean],
        ['bn_gamma_std', l.bnGamma?.std],
        ['bn_beta_mean', l.bnBeta?.mean],
        ['bn_beta_std', l.bnBeta?.std],
        ['grad_norm', l.gradNorm],
        ['zero_grad_fraction', l.zeroGradFraction],
      ];
      for (const [metric, value] of optional)
        if (value !== null && value !== undefined)
          rows.push(row(probe.epoch, 'probe', `${metric}:${l.layer}`, value));
    }
    const ensemble = probe.dropoutEnsemble;
    if (ensemble) {
      rows.push(row(probe.epoch, 'probe', 'weight_scaled_accuracy', ensemble.weightScaledAccuracy));
      ensemble.samples.forEach((k, i) => {
        const value = ensemble.thinnedAccuracy[i];
        if (value !== undefined)
          rows.push(row(probe.epoch, 'probe', `mc_dropout_accuracy:k=${k}`, value));
      });
    }
    if (probe.bnModes)
      rows.push(
        row(probe.epoch, 'probe', 'bn_moving_stats_accuracy', probe.bnModes.movingStatsAccuracy),
        row(probe.epoch, 'probe', 'bn_batch_stats_accuracy', probe.bnModes.batchStatsAccuracy),
      );
  }
  return rows;
}
