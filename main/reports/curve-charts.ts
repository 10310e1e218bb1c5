/** Loss/accuracy curves and dead/saturated-unit charts: one colour per variant, mean ± std bands. */
import type { ReportAnalysis, VariantAnalysis } from './analysis.js';
import { slugPart, variantColor, type ChartModel, type ChartSeries } from './chart-model.js';
import type { CurvePoint } from './curves.js';
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
            return s ? s.mean - s.std : null;
          }),
          upper: epochs.map((e) => {
            const s = at(e);
            return s ? s.mean + s.std : null;
          }),
        }
      : null,
  };
}

const fromCurve = (curve: CurvePoint[]): Point[] =>
  curve.map((p) => ({ epoch: p.epoch, stats: p }));

/** Train (solid) and validation (dashed) loss and accuracy, every variant overlaid. */
export function curveCharts(analysis: ReportAnalysis): ChartModel[] {
  const epochs = [
    ...new Set(analysis.variants.flatMap((v) => v.curves.trainLoss.map((p) => p.epoch))),
  ].sort((a, b) => a - b);
  if (epochs.length === 0) return [];
  const chart = (metric: 'loss' | 'accuracy'): ChartModel => ({
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
    series: analysis.variants.flatMap((v, i) => {
      const train = metric === 'loss' ? v.curves.trainLoss : v.curves.trainAccuracy;
      const val = metric === 'loss' ? v.curves.valLoss : v.curves.valAccuracy;
      return [
        series(`${v.name} train`, variantColor(i), false, epochs, fromCurve(train)),
        series(`${v.name} validation`, variantColor(i), true, epochs, fromCurve(val)),
      ];
    }),
  });
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
      series: withMeasure.map(({ v, i, series: s }) =>
        series(
          v.name,
          variantColor(i),
          false,
          epochs,
          (s?.points ?? []).map((p) => ({ epoch: p.epoch, stats: pick(p) })),
        ),
      ),
    };
    return [model];
  });
}
