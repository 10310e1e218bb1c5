/**
 * The comparison table `bnlab run` ends with: one row per variant — final and best validation
 * accuracy (mean ± std over seeds), epochs to best, epochs to reach the baseline's best, the
 * train/validation gap, and the dead-unit (ReLU) or saturated (tanh/sigmoid) fraction per layer.
 */
import Table from 'cli-table3';
import { analyzeReport } from '../reports/analysis.js';
import type { ReportData } from '../reports/data.js';
import type { MeanStd } from '../reports/stats.js';

const pct = (m: MeanStd | null | undefined): string =>
  m
    ? m.n > 1
      ? `${(m.mean * 100).toFixed(1)} ± ${(m.std * 100).toFixed(1)}%`
      : `${(m.mean * 100).toFixed(1)}%`
    : '—';
const num = (m: MeanStd | null | undefined, digits = 1): string =>
  m
    ? m.n > 1
      ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}`
      : Number.isInteger(m.mean)
        ? String(m.mean)
        : m.mean.toFixed(digits)
    : '—';
/** A fraction as a short percentage for the per-layer column: 0, 6.3, 25. */
const short = (m: MeanStd | null | undefined): string =>
  m ? String(Number((m.mean * 100).toFixed(m.mean < 0.1 ? 1 : 0))) : '—';

/** Renders the per-variant comparison as a text table. */
export function comparisonTable(data: ReportData): string {
  const analysis = analyzeReport(data);
  const layers = [...new Set(analysis.variants.flatMap((v) => v.layersAtEnd.map((l) => l.layer)))];
  const table = new Table({
    head: [
      'variant',
      'status',
      'final\nval acc',
      'best\nval acc',
      'epochs\nto best',
      `epochs to reach\n${analysis.variants.find((v) => v.baseline)?.baseline ?? 'baseline'} best`,
      'val−train\nloss gap',
      `dead or saturated % per layer\n(${layers.join(' · ')})`,
    ],
    style: { head: [], border: [] },
  });
  for (const v of analysis.variants) {
    const finalVal = v.curves.valAccuracy.at(-1);
    const reached = v.epochsToBaseline;
    const toBaseline = !reached
      ? '—'
      : reached.summary
        ? num(reached.summary)
        : `not reached (${reached.perSeed.filter((e) => e !== null).length}/${reached.perSeed.length})`;
    table.push([
      v.name,
      [...new Set(v.statuses)].join(', '),
      pct(finalVal),
      pct(v.bestValAccuracy),
      num(v.epochsToBest),
      toBaseline,
      num(v.finalGap?.loss ?? null, 3),
      layers
        .map((name) => {
          const layer = v.layersAtEnd.find((l) => l.layer === name);
          return short(layer?.deadFraction ?? layer?.saturatedFraction ?? null);
        })
        .join(' · '),
    ]);
  }
  const notes = [...analysis.incompleteReasons, ...analysis.notes].map((n) => `  note: ${n}`);
  return [table.toString(), `  baseline: ${analysis.baselineRule}`, ...notes].join('\n');
}
