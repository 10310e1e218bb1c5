/** The report's text sections (HTML strings with every user value escaped). */
import type { ReportAnalysis, VariantAnalysis } from './analysis.js';
import { variantColor } from './chart-model.js';
import type { ReportData } from './data.js';
import { escapeHtml as e } from './escape.js';
import type { MeanStd } from './stats.js';

const pct = (m: MeanStd | null | undefined, digits = 1): string =>
  m
    ? `${(m.mean * 100).toFixed(digits)}${m.n > 1 ? ` ± ${(m.std * 100).toFixed(digits)}` : ''}%`
    : '—';
const num = (m: MeanStd | null | undefined, digits = 1): string =>
  m ? `${m.mean.toFixed(digits)}${m.n > 1 ? ` ± ${m.std.toFixed(digits)}` : ''}` : '—';
const unique = (values: string[]): string[] => [...new Set(values)];

/** Title, description, generation facts and the complete/incomplete banner. */
export function headerSection(data: ReportData, analysis: ReportAnalysis): string {
  const { experiment } = data;
  const description = experiment.spec.description
    ? `<p class="description">${e(experiment.spec.description)}</p>`
    : '';
  const banner = analysis.complete
    ? `<div class="banner complete" role="status" data-testid="report-status">Complete: every run has finished.</div>`
    : `<div class="banner incomplete" role="status" data-testid="report-status">Incomplete: this experiment has not finished (${e(
        analysis.incompleteReasons.join('; '),
      )}). The report shows what exists so far.</div>`;
  const notes = analysis.notes.length
    ? `<ul class="notes">${analysis.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`
    : '';
  const preset = experiment.preset
    ? ` · preset ${e(experiment.preset)}${experiment.scale ? ` (${e(experiment.scale)})` : ''}`
    : '';
  return `<header>
<h1>${e(experiment.name)}</h1>
${description}
<p class="muted">Experiment ${e(experiment.id)}${preset} · created ${e(experiment.createdAt)} · report generated ${e(data.generatedAt)} by BN·Dropout Lab ${e(data.appVersion)}</p>
${banner}${notes}
</header>`;
}

/** Dataset, seeds, training recipe, backends and software versions, from the run records. */
export function environmentSection(data: ReportData): string {
  const { spec } = data.experiment;
  const records = data.runs.map((r) => r.record);
  const info = records.find((r) => r.datasetInfo)?.datasetInfo;
  const t = spec.training;
  const seeds = unique(records.map((r) => String(r.seed)));
  const backends = unique(
    records.flatMap((r) =>
      r.backend
        ? [
            `${r.backend.name} on ${r.backend.device} (${r.backend.package} ${r.backend.version}${Object.entries(
              r.backend.flags,
            )
              .map(([k, v]) => `, ${k}: ${String(v)}`)
              .join('')}) — ${r.backend.reason}`,
          ]
        : [],
    ),
  );
  const env = (pick: (r: (typeof records)[number]) => string): string =>
    e(unique(records.map(pick)).join(', ') || '—');
  const rows: [string, string][] = [
    [
      'dataset',
      info
        ? `${e(info.name)}: ${info.trainCount} train, ${info.validationCount} validation, ${info.testCount} test images of ${info.inputShape.join('×')}, ${info.classes} classes`
        : e(spec.dataset),
    ],
    [
      'seeds',
      seeds.length ? e(seeds.join(', ')) : `${spec.seeds} from ${spec.baseSeed} (no run started)`,
    ],
    [
      'training',
      e(
        `${t.epochs} epochs, batch ${t.batchSize}, ${t.optimizer} lr ${t.learningRate}${t.optimizer === 'sgd' ? ` momentum ${t.momentum}` : ''}, ` +
          `${t.schedule} schedule, weight decay ${t.weightDecay}, augmentation ${t.augment ? 'on' : 'off'}, ` +
          `validation ${t.validationFraction * 100}%${t.trainSubset ? `, train subset ${t.trainSubset}` : ''}, probe ${t.probeImages} images`,
      ),
    ],
    [
      'backend',
      backends.length
        ? backends.map((b) => e(b)).join('<br>')
        : `requested ${e(data.experiment.backendRequested)} (no run started)`,
    ],
    [
      'software',
      `${env((r) => `Node ${r.environment.node}`)}; ${env((r) => `tfjs ${r.environment.tfjsVersion}`)}; ${env((r) => `app ${r.environment.appVersion}`)}`,
    ],
    ['platform', env((r) => `${r.environment.platform} ${r.environment.arch}`)],
  ];
  return `<section id="environment"><h2>Environment</h2>
<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></section>`;
}

/** The variant settings that differ (one row per variant) and the ones all share. */
export function configSection(analysis: ReportAnalysis): string {
  const { differing, shared, rows } = analysis.configDifferences;
  const sharedText = shared.map((s) => `${s.field} ${s.value}`).join(', ');
  const table = differing.length
    ? `<table data-testid="config-differences"><thead><tr><th>variant</th>${differing.map((f) => `<th>${e(f)}</th>`).join('')}</tr></thead><tbody>${rows
        .map(
          (r, i) =>
            `<tr><td>${swatch(i)}${e(r.variant)}</td>${differing.map((f) => `<td>${e(r.values[f] ?? '')}</td>`).join('')}</tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>The variants have the same settings.</p>';
  return `<section id="config"><h2>Configuration differences</h2>${table}<p class="muted">Shared by every variant: ${e(sharedText)}.</p></section>`;
}

function swatch(index: number): string {
  return `<span class="swatch" data-color="${variantColor(index)}"></span>`;
}

function toBaseline(v: VariantAnalysis): string {
  const s = v.paired?.speed;
  if (!s) return '—';
  if (s.perSeed.length === 0) return 'no seed where both learned';
  return s.perSeed
    .map((p) => `seed ${p.seed}: ${p.variantEpoch ?? 'never'} vs ${p.baselineEpoch}`)
    .join('<br>');
}

function diffCell(v: VariantAnalysis): string {
  const d = v.paired?.bestAccuracy;
  if (!d?.summary) return '—';
  const sign = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
  const n = d.perSeed.length;
  const spread = d.summary.n > 1 ? ` ± ${(d.summary.std * 100).toFixed(1)}` : '';
  const agree = [
    d.higher ? `${d.higher} of ${n} higher` : '',
    d.lower ? `${d.lower} of ${n} lower` : '',
    d.tied ? `${d.tied} of ${n} equal` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const med = d.medianWhereDisagree !== null ? `<br>median ${sign(d.medianWhereDisagree)}` : '';
  return `${sign(d.summary.mean)}${spread} points<br>${agree}${med}`;
}

/**
 * The conclusions table's columns: a header a student can read, and its one-line definition
 * (printed under the table). `{baseline}` is replaced by the experiment's baseline wording.
 */
export const CONCLUSION_COLUMNS: readonly { header: string; definition: string }[] = [
  { header: 'variant', definition: 'the model setting compared (its colour in the charts)' },
  { header: 'runs', definition: 'how many seeds were trained, and how each run ended' },
  {
    header: 'seeds counted',
    definition:
      'seeds whose runs learned and so enter the averages, out of all; runs that did not learn are counted apart',
  },
  {
    header: 'best validation accuracy',
    definition:
      'the highest accuracy on the validation images in any epoch; mean ± standard deviation over the counted seeds',
  },
  {
    header: 'epoch of the best',
    definition:
      'the first epoch at which that best accuracy was reached; mean ± standard deviation',
  },
  {
    header: 'compared with',
    definition: 'the baseline variant this row is measured against ({baseline})',
  },
  {
    header: 'epochs to match the baseline',
    definition:
      'per seed: the first epoch at which this variant reached the best validation accuracy the baseline reached with the same seed, then "vs" the epoch the baseline itself got there; fewer is faster; "never" when it did not',
  },
  {
    header: 'gain over the baseline',
    definition:
      'per seed: best validation accuracy minus the baseline’s best with the same seed, in percentage points; mean ± standard deviation and how many seeds were higher or lower',
  },
  {
    header: 'overfitting gap (loss)',
    definition:
      'validation loss minus training loss after the last epoch; above 0 the model does better on images it trained on than on new ones',
  },
  {
    header: 'overfitting gap (accuracy)',
    definition: 'training accuracy minus validation accuracy after the last epoch, in percent',
  },
];

function definitions(
  columns: readonly { header: string; definition: string }[],
  baseline: string,
  testId: string,
): string {
  return `<dl class="definitions" data-testid="${testId}">${columns
    .map(
      (c) => `<dt>${e(c.header)}</dt><dd>${e(c.definition.replace('{baseline}', baseline))}</dd>`,
    )
    .join('')}</dl>`;
}

/**
 * Dead (ReLU) or saturated (tanh/sigmoid) share per layer after the last epoch: a table of its
 * own, one column per layer, so the conclusions table stays narrow enough to print.
 */
function unitsTable(analysis: ReportAnalysis): string {
  const layers = [...new Set(analysis.variants.flatMap((v) => v.layersAtEnd.map((l) => l.layer)))];
  if (layers.length === 0) return '';
  const cell = (v: VariantAnalysis, layer: string): string => {
    const l = v.layersAtEnd.find((x) => x.layer === layer);
    if (!l) return '—';
    if (l.deadFraction) return `${pct(l.deadFraction)} dead`;
    if (l.saturatedFraction) return `${pct(l.saturatedFraction)} saturated`;
    return '—';
  };
  const rows = analysis.variants
    .map(
      (v, i) =>
        `<tr><td class="nowrap">${swatch(i)}${e(v.name)}</td>${layers.map((l) => `<td class="num">${cell(v, l)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<h3>Dead or saturated units after training</h3>
<table data-testid="units-at-end"><thead><tr><th>variant</th>${layers.map((l) => `<th>${e(l)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
${definitions(
  [
    {
      header: 'dead',
      definition:
        'share of a ReLU layer’s units (channels or neurons) whose output is zero for every probe image and position, at the last probe; a dead unit no longer learns',
    },
    {
      header: 'saturated',
      definition:
        'share of a tanh or sigmoid layer’s outputs in the flat tails (|y| > 0.99 for tanh, y < 0.01 or > 0.99 for sigmoid), where the gradient almost vanishes',
    },
  ],
  '',
  'units-definitions',
)}`;
}

/** One row per variant: the numbers the experiment concludes with, then the paired sentences. */
export function conclusionsSection(analysis: ReportAnalysis): string {
  const rows = analysis.variants.map((v, i) => {
    const statuses = unique(v.statuses).join(', ');
    const flag =
      v.notLearnedSeeds > 0
        ? ` <span class="flag" data-testid="not-learned">${v.notLearnedSeeds} did not learn</span>`
        : '';
    const baseline = v.baseline
      ? e(v.baseline)
      : analysis.baselineKind !== 'none'
        ? 'is the baseline'
        : '—';
    return `<tr data-not-learned="${v.notLearnedSeeds}"><td class="nowrap">${swatch(i)}${e(v.name)}</td><td>${v.seeds.length} (${e(statuses || 'no runs')})${flag}</td><td>${e(v.seedText)}</td><td class="num">${pct(v.bestValAccuracy)}</td><td class="num">${num(v.epochsToBest)}</td><td>${baseline}</td><td class="num">${toBaseline(v)}</td><td class="num">${diffCell(v)}</td><td class="num">${num(v.finalGap?.loss, 3)}</td><td class="num">${pct(v.finalGap?.accuracy)}</td></tr>`;
  });
  const sentences = analysis.variants.flatMap((v) => v.paired?.sentences ?? []);
  const list = sentences.length
    ? `<h3>What the paired seeds say</h3><ul data-testid="paired-conclusions">${sentences.map((t) => `<li>${e(t)}</li>`).join('')}</ul>`
    : '';
  const caveat = analysis.trainCaveat
    ? `<p class="caveat" data-testid="train-caveat">Note: ${e(analysis.trainCaveat)}.</p>`
    : '';
  return `<section id="conclusions"><h2>Conclusions per variant</h2>
<table data-testid="conclusions"><thead><tr>${CONCLUSION_COLUMNS.map((c) => `<th>${e(c.header)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
${definitions(CONCLUSION_COLUMNS, analysis.baselineRule.replace(/^Baseline: /, '').replace(/\.$/, ''), 'conclusion-definitions')}
<p class="muted">A run did not learn when, after its last epoch, its validation accuracy is below chance + 5 points, its validation loss is not below ln(classes) (a uniform guess), or it diverged. Comparisons with the baseline are paired: seed s of a variant against seed s of the baseline (same initial weights and data order), leaving out seeds where either did not learn; "epochs to match the baseline" is the speed-up measure of Ioffe &amp; Szegedy (2015). Train numbers are measured in inference mode on a fixed train subset.</p>
${caveat}${unitsTable(analysis)}${list}</section>`;
}
