/**
 * The comparison table `bnlab run` ends with: one row per variant — runs that did not learn and
 * how many seeds the means are over, final and best validation accuracy (mean ± std over the seeds
 * that learned), epochs to best, the paired comparison with the baseline (epochs to reach the same
 * seed's baseline best; best-accuracy difference per seed), the train/validation gap, and the
 * dead-unit (ReLU) or saturated (tanh/sigmoid) fraction per layer — then one sentence per
 * conclusion.
 */
import Table from 'cli-table3';
import { analyzeReport, type VariantAnalysis } from '../reports/analysis.js';
import type { ReportData } from '../reports/data.js';
import { median, type MeanStd } from '../reports/stats.js';

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

/** "1 vs 3 (3/3 sooner)": median epochs to the same seed's baseline best against the baseline's own. */
function speedCell(v: VariantAnalysis): string {
  if (!v.paired) return v.baseline === null ? '—' : 'n/a';
  const s = v.paired.speed;
  const n = s.perSeed.length;
  if (n === 0) return 'no pair';
  const reached = s.perSeed.flatMap((p) => (p.variantEpoch === null ? [] : [p.variantEpoch]));
  const theirs = median(s.perSeed.map((p) => p.baselineEpoch));
  const mine = reached.length > 0 ? String(median(reached)) : 'never';
  return `${mine} vs ${theirs} (${s.sooner}/${n} sooner${s.never > 0 ? `, ${s.never} never` : ''})`;
}

/** "+1.2 ± 0.4 (3/3 higher)": per-seed difference in best accuracy, in points. */
function diffCell(v: VariantAnalysis): string {
  const d = v.paired?.bestAccuracy;
  if (!d?.summary) return v.paired || v.baseline === null ? '—' : 'n/a';
  const n = d.perSeed.length;
  const sign = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
  const spread = d.summary.n > 1 ? ` ± ${(d.summary.std * 100).toFixed(1)}` : '';
  const agree = [
    d.higher ? `${d.higher}/${n} higher` : '',
    d.lower ? `${d.lower}/${n} lower` : '',
    d.tied ? `${d.tied}/${n} equal` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const med = d.medianWhereDisagree !== null ? `, median ${sign(d.medianWhereDisagree)}` : '';
  return `${sign(d.summary.mean)}${spread}${med} (${agree})`;
}

/** Renders the per-variant comparison as a text table, then one sentence per conclusion. */
export function comparisonTable(data: ReportData): string {
  const analysis = analyzeReport(data);
  const layers = [...new Set(analysis.variants.flatMap((v) => v.layersAtEnd.map((l) => l.layer)))];
  const baseline = analysis.variants.find((v) => v.baseline)?.baseline ?? 'baseline';
  const table = new Table({
    head: [
      'variant',
      'status',
      'seeds in\nthe means',
      'final\nval acc',
      'best\nval acc',
      'epochs\nto best',
      `epochs to reach the\nsame seed's ${baseline}\nbest (vs ${baseline}'s own)`,
      `best val acc minus\n${baseline}'s, same seed\n(points)`,
      'val−train\nloss gap',
      `dead or saturated % per layer\n(${layers.join(' · ')})`,
    ],
    style: { head: [], border: [] },
  });
  for (const v of analysis.variants) {
    const finalVal = v.curves.valAccuracy.at(-1);
    const flagged = v.notLearnedSeeds > 0 ? ` — ${v.notLearnedSeeds} DID NOT LEARN` : '';
    table.push([
      v.name,
      `${[...new Set(v.statuses)].join(', ')}${flagged}`,
      v.seedText,
      v.includedSeeds > 0 ? pct(finalVal) : '—',
      pct(v.bestValAccuracy),
      num(v.epochsToBest),
      v.paired
        ? speedCell(v)
        : v.baseline === null && analysis.baselineKind !== 'none'
          ? 'baseline'
          : '—',
      v.paired ? diffCell(v) : '—',
      num(v.finalGap?.loss ?? null, 3),
      layers
        .map((name) => {
          const layer = v.layersAtEnd.find((l) => l.layer === name);
          return short(layer?.deadFraction ?? layer?.saturatedFraction ?? null);
        })
        .join(' · '),
    ]);
  }
  const conclusions = analysis.variants.flatMap((v) => v.paired?.sentences ?? []);
  const notes = [...analysis.incompleteReasons, ...analysis.notes].map((n) => `  note: ${n}`);
  return [
    table.toString(),
    `  baseline: ${analysis.baselineRule}`,
    ...(conclusions.length > 0 ? ['  conclusions (paired by seed):'] : []),
    ...conclusions.map((c) => `  - ${c}`),
    ...(analysis.trainCaveat ? [`  note: ${analysis.trainCaveat}`] : []),
    ...notes,
  ].join('\n');
}
