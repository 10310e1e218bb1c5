/**
 * The cross-experiment comparison as a report page (HTML; the PDF prints it): who the runs are,
 * whether the comparison is controlled, the settings that differ, each run's numbers and curves.
 */
import { ACTIVE_STATUSES } from '../api/records.js';
import { variantColor } from './chart-model.js';
import { compareCharts, comparedRunFacts, compareRuns, type CompareData } from './compare.js';
import { escapeHtml as e } from './escape.js';
import { figure, reportDocument } from './html.js';

const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
const num = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3);

const swatch = (i: number): string =>
  `<span class="swatch" data-color="${variantColor(i)}"></span>`;

/** Column headers of the per-run table with their one-line definitions. */
const RUN_COLUMNS: readonly [string, string][] = [
  ['run', 'experiment · variant · seed, in the colour of its lines'],
  ['status', 'how the run ended (or that it is still training), and whether it learned'],
  ['epochs', 'epochs the run completed'],
  [
    'best validation accuracy',
    'the highest accuracy on the validation images in any epoch, and that epoch',
  ],
  ['final validation accuracy', 'accuracy on the validation images after the last epoch'],
  [
    'overfitting gap (loss)',
    'validation loss minus training loss after the last epoch; above 0 the model does better on images it trained on',
  ],
];

/** The comparison report page. */
export async function renderCompareHtml(data: CompareData): Promise<string> {
  const comparison = compareRuns(data.runs.map((r) => r.run.record));
  const facts = comparedRunFacts(data);
  const charts = compareCharts(data);
  const active = data.runs.filter((r) => ACTIVE_STATUSES.includes(r.run.record.status)).length;
  const complete = active === 0;
  const banner = complete
    ? ''
    : `<div class="banner incomplete" role="status" data-testid="report-status">Incomplete: ${active} of the compared runs ${active === 1 ? 'is' : 'are'} still queued or training. The report shows what exists so far.</div>`;
  const warn = comparison.control === 'uncontrolled' ? ' caveat' : '';
  const notes = `<ul class="notes${warn}" data-testid="compare-notes">${comparison.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`;
  const experiments = [...new Map(data.runs.map((r) => [r.experiment.id, r.experiment])).values()];
  const header = `<header>
<h1>Comparison of ${data.runs.length} runs from ${comparison.experiments} experiment${comparison.experiments === 1 ? '' : 's'}</h1>
<p class="muted">Experiments: ${experiments.map((x) => `${e(x.name)} (${e(x.id)})`).join(', ')} · report generated ${e(data.generatedAt)} by BN·Dropout Lab ${e(data.appVersion)}</p>
${banner}${notes}
</header>`;
  const differing = comparison.differing.length
    ? `<table data-testid="compare-differences"><thead><tr><th>run</th>${comparison.differing.map((d) => `<th>${e(d.field)}</th>`).join('')}</tr></thead><tbody>${comparison.runs
        .map(
          (r, i) =>
            `<tr><td>${swatch(i)}${e(r.label)}</td>${comparison.differing.map((d) => `<td>${e(d.values[i] ?? '—')}</td>`).join('')}</tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>The runs have the same settings.</p>';
  const shared = comparison.shared.map((s) => `${s.field} ${s.value}`).join(', ');
  const config = `<section id="config"><h2>Settings that differ</h2>${differing}<p class="muted">Shared by every run: ${e(shared || 'nothing')}.</p></section>`;
  const rows = facts
    .map((f, i) => {
      const flag =
        f.verdict?.learned === false
          ? ` <span class="flag" data-testid="not-learned" title="${e(f.verdict.explanation)}">did not learn</span>`
          : '';
      const best = f.best ? `${pct(f.best.accuracy)} (epoch ${f.best.epoch})` : '—';
      const gap =
        f.finalValLoss !== null && f.finalTrainLoss !== null
          ? num(f.finalValLoss - f.finalTrainLoss)
          : '—';
      return `<tr><td>${swatch(i)}${e(f.label)}</td><td>${e(f.status)}${flag}</td><td class="num">${f.epochs}</td><td class="num">${best}</td><td class="num">${pct(f.finalValAccuracy)}</td><td class="num">${gap}</td></tr>`;
    })
    .join('');
  const table = `<section id="runs"><h2>Runs</h2>
<table data-testid="compare-runs"><thead><tr>${RUN_COLUMNS.map(([h]) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<dl class="definitions">${RUN_COLUMNS.map(([h, d]) => `<dt>${e(h)}</dt><dd>${e(d)}</dd>`).join('')}</dl>
<p class="muted">A run did not learn when, after its last epoch, its validation accuracy is below chance + 5 points, its validation loss is not below ln(classes), or it diverged.</p></section>`;
  const curves = charts.length
    ? `<section id="compare-curves"><h2>Training curves</h2><p class="muted">One colour per run; each run is its own line (no mean over runs).</p><div class="charts">${charts.map(figure).join('')}</div></section>`
    : '<p>No compared run has finished an epoch yet, so there is nothing to chart.</p>';
  return reportDocument({
    title: `Comparison of ${data.runs.length} runs`,
    complete,
    appVersion: data.appVersion,
    charts,
    body: `${header}\n${config}\n${table}\n${curves}`,
  });
}
