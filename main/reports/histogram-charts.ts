/**
 * Activation histograms per layer, overlaid across variants, at the first, middle and last probed
 * epochs, before and after the nonlinearity. All runs share the `symlog-v1` bins, so overlaying is
 * exact: counts of a variant's seeds are summed, then shown as the fraction of values per bin.
 * Exact zeros (ReLU's spike, which would flatten everything else) are taken out of the centre bin
 * and given in the legend instead. The x axis is the bin index, labelled at every decade (±1e-4 …
 * ±1e4), trimmed to the decades where any variant has values.
 */
import {
  mergeHistograms,
  SYMLOG_BIN_COUNT,
  SYMLOG_BINS_PER_DECADE,
  SYMLOG_DECADES,
  SYMLOG_MIN,
  symlogBinCentre,
} from '../api/histogram.js';
import type { Histogram } from '../api/events.js';
import { slugPart, variantColor, type ChartModel, type ChartSeries } from './chart-model.js';
import { epochProbes, runsOfVariant, type ReportData } from './data.js';

const CENTRE = SYMLOG_DECADES * SYMLOG_BINS_PER_DECADE;

/** First, middle and last epoch that any run probed (epoch 0 = before training), without repeats. */
export function chosenEpochs(data: ReportData): number[] {
  const epochs = [
    ...new Set(data.runs.flatMap((run) => epochProbes(run).map((p) => p.epoch))),
  ].sort((a, b) => a - b);
  if (epochs.length === 0) return [];
  const picks = [epochs[0], epochs[Math.floor((epochs.length - 1) / 2)], epochs.at(-1)];
  return [...new Set(picks.filter((e): e is number => e !== undefined))];
}

/** Label of a decade edge: 0.01, 1, 100, 1e-4, -10 … */
function decadeLabel(sign: number, exponent: number): string {
  const magnitude = exponent >= -2 ? String(10 ** exponent) : `1e${exponent}`;
  return sign < 0 ? `−${magnitude}` : magnitude;
}

/** The bin range [from, to] to draw, widened to whole decades, and a tick per decade edge. */
function axis(histograms: Histogram[]): { from: number; to: number; ticks: (string | null)[] } {
  let lo = CENTRE;
  let hi = CENTRE;
  for (const h of histograms) {
    h.counts.forEach((c, i) => {
      const count = i === CENTRE ? c - h.zeros : c;
      if (count > 0) {
        lo = Math.min(lo, i);
        hi = Math.max(hi, i);
      }
    });
  }
  const perDecade = SYMLOG_BINS_PER_DECADE;
  // Negative bins run CENTRE-1 (−1e-4) down to 0 (−1e4); positive bins CENTRE+1 up.
  // One bin past the last whole decade, so its outer edge gets a tick too.
  const from = Math.max(0, CENTRE - Math.ceil((CENTRE - lo) / perDecade) * perDecade - 1);
  const to = Math.min(
    SYMLOG_BIN_COUNT - 1,
    CENTRE + Math.ceil((hi - CENTRE) / perDecade) * perDecade + 1,
  );
  const minExponent = Math.round(Math.log10(SYMLOG_MIN));
  const ticks: (string | null)[] = [];
  for (let i = from; i <= to; i++) {
    // ±1e-4 sit right next to 0 and would overprint it: the centre bin's "0" stands for them.
    if (i === CENTRE) ticks.push('0');
    else if (Math.abs(i - CENTRE) === 1) ticks.push(null);
    else if (i > CENTRE && (i - CENTRE - 1) % perDecade === 0)
      ticks.push(decadeLabel(1, minExponent + (i - CENTRE - 1) / perDecade));
    else if (i < CENTRE && (CENTRE - 1 - i) % perDecade === 0)
      ticks.push(decadeLabel(-1, minExponent + (CENTRE - 1 - i) / perDecade));
    else ticks.push(null);
  }
  return { from, to, ticks };
}

const percent = (part: number, total: number): string =>
  `${((100 * part) / Math.max(total, 1)).toFixed(part === 0 ? 0 : 1)}%`;

/** One chart per layer × chosen epoch × (pre, post) with a line per variant that has data there. */
export function histogramCharts(data: ReportData): ChartModel[] {
  const variants = data.experiment.spec.variants;
  const probesOf = variants.map((v) => runsOfVariant(data, v.name).map(epochProbes));
  const layers = [...new Set(probesOf.flat(2).flatMap((p) => p.layers.map((l) => l.layer)))];
  const charts: ChartModel[] = [];
  for (const layer of layers) {
    for (const epoch of chosenEpochs(data)) {
      for (const side of ['pre', 'post'] as const) {
        const perVariant = variants.flatMap((v, i) => {
          const found = (probesOf[i] ?? []).flatMap((runProbes) =>
            runProbes
              .filter((p) => p.epoch === epoch)
              .flatMap((p) => p.layers.filter((l) => l.layer === layer).map((l) => l[side])),
          );
          const sum = mergeHistograms(found);
          return sum && sum.total > 0
            ? [{ name: v.name, index: i, histogram: sum, seeds: found.length }]
            : [];
        });
        if (perVariant.length === 0) continue;
        const { from, to, ticks } = axis(perVariant.map((p) => p.histogram));
        const bins = Array.from({ length: to - from + 1 }, (_, k) => from + k);
        const series: ChartSeries[] = perVariant.map(({ name, index, histogram: h }) => {
          const outside = h.underflow + h.overflow;
          const notes = [
            h.zeros > 0 ? `zeros ${percent(h.zeros, h.total)}` : '',
            outside > 0 ? `beyond ±1e4 ${percent(outside, h.total)}` : '',
          ]
            .filter(Boolean)
            .join(', ');
          return {
            label: notes ? `${name} (${notes})` : name,
            color: variantColor(index),
            dashed: false,
            // 4 significant digits: plenty for a chart, and a third of the report's size.
            data: bins.map((i) =>
              Number(
                (((h.counts[i] ?? 0) - (i === CENTRE ? h.zeros : 0)) / h.total).toPrecision(4),
              ),
            ),
            band: null,
          };
        });
        charts.push({
          id: `hist-${slugPart(layer)}-${side}-epoch-${epoch}`,
          section: 'histograms',
          group: layer,
          title: `${layer}: ${side === 'pre' ? 'pre-activation (input of the nonlinearity)' : 'post-activation (output)'}, ${epoch === 0 ? 'before training' : `epoch ${epoch}`}`,
          xLabel: 'value (symmetric log scale)',
          yLabel: 'fraction of values per bin',
          labels: bins.map((i) => symlogBinCentre(i).toPrecision(2)),
          ticks,
          yFormat: 'percent',
          stepped: true,
          series,
        });
      }
    }
  }
  return charts;
}
