/**
 * Loss/accuracy curves and dead/saturated-unit charts: one colour per variant, mean ± std bands
 * clipped to the metric's valid range, and each seed's own line under its variant's mean.
 */
import type { ReportAnalysis, VariantAnalysis } from './analysis.js';
import {
  clampTo,
  FRACTION_RANGE,
  LOSS_RANGE,
  slugPart,
  variantColor,
  type ChartModel,
  type ChartSeries,
  type ValueRange,
} from './chart-model.js';
import type { CurvePoint } from './curves.js';
import { epochEvents, runsOfVariant, type ReportData } from './data.js';
import type { MeanStd } from './stats.js';

interface Point {
  epoch: number;
  stats: MeanStd | null;
}

function series(
  label: string,
  color: string,
  dashed: boolean,
  epochs: number[],
  points: Point[],
  range: ValueRange,
): ChartSeries {
  const at = (epoch: number): MeanStd | null =>
    points.find((p) => p.epoch === epoch)?.stats ?? null;
  const several = points.some((p) => (p.stats?.n ?? 0) > 1);
  return {
    label,
    color,
    dashed,
    data: epochs.map((e) => at(e)?.mean ?? null),
    band: several
      ? {
          lower: epochs.map((e) => {
            const s = at(e);
            return s ? clampTo(s.mean - s.std, range) : null;
          }),
          upper: epochs.map((e) => {
            const s = at(e);
            return s ? clampTo(s.mean + s.std, range) : null;
          }),
        }
      : null,
  };
}

const fromCurve = (curve: CurvePoint[]): Point[] =>
  curve.map((p) => ({ epoch: p.epoch, stats: p }));

type Metric = 'loss' | 'accuracy';

/**
 * Each run's own train and validation line of one variant: faint `seed` lines when several seeds
 * make the mean, and a dotted `not-learned` line, labelled so, for every run left out of it.
 */
function seedSeries(
  data: ReportData,
  v: VariantAnalysis,
  color: string,
  metric: Metric,
  epochs: number[],
): ChartSeries[] {
  const noneLearned = v.includedSeeds === 0;
  return runsOfVariant(data, v.name).flatMap((run) => {
    const seed = run.record.seed;
    const notLearned = v.learning[v.seeds.indexOf(seed)]?.learned === false;
    // With one counted seed the mean is that seed; with none, the mean line is every run's.
    if (noneLearned || (!notLearned && v.includedSeeds < 2)) return [];
    const events = epochEvents(run);
    const line = (split: 'train' | 'validation'): ChartSeries => {
      const field =
        split === 'train'
          ? metric === 'loss'
            ? 'trainLoss'
            : 'trainAccuracy'
          : metric === 'loss'
            ? 'valLoss'
            : 'valAccuracy';
      return {
        label: `${v.name} seed ${seed} ${split}${notLearned ? ' (did not learn)' : ''}`,
        color,
        dashed: split === 'validation',
        data: epochs.map((epoch) => {
          const value = events.find((e) => e.epoch === epoch)?.[field];
          return value === undefined || !Number.isFinite(value) ? null : value;
        }),
        band: null,
        style: notLearned ? 'not-learned' : 'seed',
      };
    };
    // A run that did not learn gets one legend entry (validation); its train line stays faint.
    return notLearned
      ? [{ ...line('train'), style: 'seed' as const }, line('validation')]
      : [line('train'), line('validation')];
  });
}

/**
 * Train (solid) and validation (dashed) loss and accuracy, every variant overlaid: the mean over
 * the seeds that learned with its ± std band (clipped to 0–100 % and loss ≥ 0), and, given the
 * runs (`data`), each seed's own line, runs that did not learn marked.
 */
export function curveCharts(analysis: ReportAnalysis, data?: ReportData): ChartModel[] {
  const epochs = [
    ...new Set(analysis.variants.flatMap((v) => v.curves.trainLoss.map((p) => p.epoch))),
  ].sort((a, b) => a - b);
  if (epochs.length === 0) return [];
  const chart = (metric: Metric): ChartModel => {
    const range = metric === 'loss' ? LOSS_RANGE : FRACTION_RANGE;
    return {
      id: metric,
      section: 'curves',
      group: null,
      title:
        metric === 'loss'
          ? 'Loss (train solid, validation dashed)'
          : 'Accuracy (train solid, validation dashed)',
      xLabel: 'epoch',
      yLabel: metric,
      labels: epochs.map(String),
      ticks: null,
      yFormat: metric === 'loss' ? 'number' : 'percent',
      stepped: false,
      ...range,
      series: analysis.variants.flatMap((v, i) => {
        const train = metric === 'loss' ? v.curves.trainLoss : v.curves.trainAccuracy;
        const val = metric === 'loss' ? v.curves.valLoss : v.curves.valAccuracy;
        const color = variantColor(i);
        const failed = v.includedSeeds === 0 && v.notLearnedSeeds > 0 ? ' (did not learn)' : '';
        return [
          ...(data ? seedSeries(data, v, color, metric, epochs) : []),
          series(`${v.name} train${failed}`, color, false, epochs, fromCurve(train), range),
          series(`${v.name} validation${failed}`, color, true, epochs, fromCurve(val), range),
        ];
      }),
    };
  };
  return [chart('loss'), chart('accuracy')];
}

/**
 * Per layer, the dead (ReLU) or saturated (tanh/sigmoid) fraction at each epoch-end probe, one
 * line per variant that has that measure for the layer.
 */
export function unitCharts(analysis: ReportAnalysis, measure: 'dead' | 'saturation'): ChartModel[] {
  const layers = [...new Set(analysis.variants.flatMap((v) => v.layerSeries.map((l) => l.layer)))];
  const pick = (p: VariantAnalysis['layerSeries'][number]['points'][number]): MeanStd | null =>
    measure === 'dead' ? p.deadFraction : p.saturatedFraction;
  return layers.flatMap((layer) => {
    const withMeasure = analysis.variants
      .map((v, i) => ({ v, i, series: v.layerSeries.find((l) => l.layer === layer) }))
      .filter((x) => x.series?.points.some((p) => pick(p) !== null));
    if (withMeasure.length === 0) return [];
    const epochs = [
      ...new Set(withMeasure.flatMap((x) => x.series?.points.map((p) => p.epoch) ?? [])),
    ].sort((a, b) => a - b);
    const model: ChartModel = {
      id: `${measure}-${slugPart(layer)}`,
      section: measure,
      group: layer,
      title:
        measure === 'dead'
          ? `${layer}: dead units (zero on every probe image)`
          : `${layer}: saturated outputs`,
      xLabel: 'epoch (0 = before training)',
      yLabel: measure === 'dead' ? 'dead fraction of units' : 'saturated fraction of values',
      labels: epochs.map(String),
      ticks: null,
      yFormat: 'percent',
      stepped: false,
      ...FRACTION_RANGE,
      series: withMeasure.map(({ v, i, series: s }) =>
        series(
          v.name,
          variantColor(i),
          false,
          epochs,
          (s?.points ?? []).map((p) => ({ epoch: p.epoch, stats: pick(p) })),
          FRACTION_RANGE,
        ),
      ),
    };
    return [model];
  });
}
