/**
 * Charts of the seed's mechanisms (issue 8 probes), one colour per variant; each chart exists only
 * when some variant has its data: linear-region vs saturated share (tanh/sigmoid), BN γ and β
 * (band: the spread across the layer's units), gradient norm and zero-gradient share (in the dead
 * section, beside each layer's dead-unit chart), BN batch- vs moving-statistics accuracy, and
 * MC-dropout accuracy against k with the weight-scaled accuracy as a reference line.
 */
import type { LayerProbe } from '../api/events.js';
import type { ReportAnalysis } from './analysis.js';
import { slugPart, variantColor, type ChartModel, type ChartSeries } from './chart-model.js';
import type { ReportData } from './data.js';
import {
  ensembleCurve,
  layerProbeSeries,
  probeSeries,
  shownRuns,
  type EpochStat,
} from './mechanism-series.js';
import type { MeanStd } from './stats.js';

const DEFAULT_X = 'epoch (0 = before training)';

function line(
  label: string,
  color: string,
  dashed: boolean,
  epochs: number[],
  points: EpochStat[],
  band?: (epoch: number) => { lower: number; upper: number } | null,
): ChartSeries {
  const at = (epoch: number): MeanStd | null =>
    points.find((p) => p.epoch === epoch)?.stats ?? null;
  return {
    label,
    color,
    dashed,
    data: epochs.map((e) => at(e)?.mean ?? null),
    band: band
      ? {
          lower: epochs.map((e) => band(e)?.lower ?? null),
          upper: epochs.map((e) => band(e)?.upper ?? null),
        }
      : null,
  };
}

const epochsOf = (series: EpochStat[][]): number[] =>
  [...new Set(series.flatMap((s) => s.map((p) => p.epoch)))].sort((a, b) => a - b);

function chart(
  id: string,
  section: ChartModel['section'],
  group: string | null,
  title: string,
  yLabel: string,
  yFormat: ChartModel['yFormat'],
  epochs: number[],
  series: ChartSeries[],
  xLabel = DEFAULT_X,
): ChartModel {
  return {
    id,
    section,
    group,
    title,
    xLabel,
    yLabel,
    labels: epochs.map(String),
    ticks: null,
    yFormat,
    stepped: false,
    // Every percent here is a share or an accuracy: the axis stays within 0–100 %.
    ...(yFormat === 'percent' ? { yMin: 0, yMax: 1 } : {}),
    series,
  };
}

function layers(analysis: ReportAnalysis): string[] {
  return [...new Set(analysis.variants.flatMap((v) => v.layerSeries.map((l) => l.layer)))];
}

/** One chart per layer of a per-layer measure, a line (or two) per variant that has it. */
function perLayer(
  data: ReportData,
  analysis: ReportAnalysis,
  make: (layer: string) => {
    id: string;
    section: ChartModel['section'];
    title: string;
    yLabel: string;
    yFormat: ChartModel['yFormat'];
    lines: {
      suffix: string;
      dashed: boolean;
      pick: (l: LayerProbe) => number | null | undefined;
      spread?: (l: LayerProbe) => number | null | undefined;
    }[];
  },
): ChartModel[] {
  return layers(analysis).flatMap((layer) => {
    const spec = make(layer);
    const collected = analysis.variants.flatMap((v, i) => {
      const runs = shownRuns(data, v);
      return spec.lines.flatMap((l) => {
        const points = layerProbeSeries(runs, layer, l.pick);
        if (points.length === 0) return [];
        const spread = l.spread ? layerProbeSeries(runs, layer, l.spread) : [];
        return [{ v, i, l, points, spread }];
      });
    });
    if (collected.length === 0) return [];
    const epochs = epochsOf(collected.map((c) => c.points));
    const series = collected.map(({ v, i, l, points, spread }) =>
      line(
        `${v.name}${l.suffix}`,
        variantColor(i),
        l.dashed,
        epochs,
        points,
        spread.length
          ? (epoch) => {
              const m = points.find((p) => p.epoch === epoch)?.stats;
              const s = spread.find((p) => p.epoch === epoch)?.stats;
              return m && s ? { lower: m.mean - s.mean, upper: m.mean + s.mean } : null;
            }
          : undefined,
      ),
    );
    return [
      chart(spec.id, spec.section, layer, spec.title, spec.yLabel, spec.yFormat, epochs, series),
    ];
  });
}

/** Linear-region (solid) vs saturated (dashed) share per tanh/sigmoid layer. */
export function linearCharts(data: ReportData, analysis: ReportAnalysis): ChartModel[] {
  return perLayer(data, analysis, (layer) => ({
    id: `linear-${slugPart(layer)}`,
    section: 'linear',
    title: `${layer}: linear region (solid) vs saturated (dashed)`,
    yLabel: 'share of values',
    yFormat: 'percent',
    lines: [
      { suffix: ' linear', dashed: false, pick: (l) => l.linearFraction },
      {
        suffix: ' saturated',
        dashed: true,
        pick: (l) => (l.linearFraction == null ? null : l.saturatedFraction),
      },
    ],
  }));
}

/** BN γ (solid) and β (dashed) per layer; the band is the spread across the layer's units. */
export function bnParamCharts(data: ReportData, analysis: ReportAnalysis): ChartModel[] {
  return perLayer(data, analysis, (layer) => ({
    id: `bn-params-${slugPart(layer)}`,
    section: 'bn-params',
    title: `${layer}: BN scale γ (solid) and shift β (dashed)`,
    yLabel: 'value (band: ± spread across units)',
    yFormat: 'number',
    lines: [
      { suffix: ' γ', dashed: false, pick: (l) => l.bnGamma?.mean, spread: (l) => l.bnGamma?.std },
      { suffix: ' β', dashed: true, pick: (l) => l.bnBeta?.mean, spread: (l) => l.bnBeta?.std },
    ],
  }));
}

/** Zero-gradient share and gradient norm per layer, for the dead section (grouped by layer). */
export function gradientCharts(data: ReportData, analysis: ReportAnalysis): ChartModel[] {
  const zero = perLayer(data, analysis, (layer) => ({
    id: `zero-grad-${slugPart(layer)}`,
    section: 'dead',
    title: `${layer}: units whose weight gradient is exactly zero`,
    yLabel: 'share of units',
    yFormat: 'percent',
    lines: [{ suffix: '', dashed: false, pick: (l) => l.zeroGradFraction }],
  }));
  const norm = perLayer(data, analysis, (layer) => ({
    id: `grad-norm-${slugPart(layer)}`,
    section: 'dead',
    title: `${layer}: weight-gradient norm (L2)`,
    yLabel: 'gradient norm',
    yFormat: 'number',
    lines: [{ suffix: '', dashed: false, pick: (l) => l.gradNorm }],
  }));
  return [...zero, ...norm];
}

/** BN with moving statistics (solid, what validation uses) vs batch statistics (dashed). */
export function bnModeCharts(data: ReportData, analysis: ReportAnalysis): ChartModel[] {
  const collected = analysis.variants.flatMap((v, i) => {
    const runs = shownRuns(data, v);
    const moving = probeSeries(runs, (p) => p.bnModes?.movingStatsAccuracy);
    const batch = probeSeries(runs, (p) => p.bnModes?.batchStatsAccuracy);
    return moving.length ? [{ v, i, moving, batch }] : [];
  });
  if (collected.length === 0) return [];
  const epochs = epochsOf(collected.flatMap((c) => [c.moving, c.batch]));
  return [
    chart(
      'bn-modes',
      'bn-modes',
      null,
      'Probe accuracy: BN moving statistics (solid) vs batch statistics (dashed)',
      'accuracy',
      'percent',
      epochs,
      collected.flatMap(({ v, i, moving, batch }) => [
        line(`${v.name} moving stats`, variantColor(i), false, epochs, moving),
        line(`${v.name} batch stats`, variantColor(i), true, epochs, batch),
      ]),
    ),
  ];
}

/** Per dropout variant: MC-dropout accuracy against k, the weight-scaled accuracy as a flat line. */
export function ensembleCharts(data: ReportData, analysis: ReportAnalysis): ChartModel[] {
  return analysis.variants.flatMap((v, i) => {
    const curve = ensembleCurve(shownRuns(data, v));
    if (!curve) return [];
    const color = variantColor(i);
    return [
      chart(
        `ensemble-${slugPart(v.name)}`,
        'ensemble',
        null,
        `${v.name}: average of k thinned networks vs weight scaling (epoch ${curve.epoch})`,
        'probe accuracy',
        'percent',
        curve.samples,
        [
          {
            label: `${v.name} MC dropout (k thinned networks)`,
            color,
            dashed: false,
            data: curve.thinned.map((t) => t?.mean ?? null),
            band: null,
          },
          {
            label: 'weight-scaled network (standard inference)',
            color: '#5b6475',
            dashed: true,
            data: curve.samples.map(() => curve.weightScaled.mean),
            band: null,
          },
        ],
        'k (thinned networks averaged)',
      ),
    ];
  });
}
