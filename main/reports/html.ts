/**
 * The HTML report: one self-contained file (inline Chart.js, script, data and CSS) that opens
 * offline and makes no network request. A strict CSP (DESIGN §7) allows only the two inline
 * scripts and the stylesheet, by hash; `default-src 'none'` blocks every fetch, image and font.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { analyzeReport, type ReportAnalysis } from './analysis.js';
import type { ChartModel, ChartSection } from './chart-model.js';
import { curveCharts, unitCharts } from './curve-charts.js';
import type { ReportData } from './data.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { histogramCharts } from './histogram-charts.js';
import {
  bnModeCharts,
  bnParamCharts,
  ensembleCharts,
  gradientCharts,
  linearCharts,
} from './mechanism-charts.js';
import { claimsSection } from './html-claims.js';
import {
  conclusionsSection,
  configSection,
  environmentSection,
  headerSection,
} from './html-sections.js';

/**
 * Chart size in CSS pixels on screen and in PNG exports (report.css's `.chart-box`), fixed so they
 * come out the same every time; printed, a chart takes its grid cell's width instead.
 */
export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 300;

const ASSETS = new URL('../../assets/report/', import.meta.url);

interface StaticParts {
  chartJs: string;
  client: string;
  css: string;
}

let cached: Promise<StaticParts> | undefined;

/** Chart.js's UMD build (inlined, so chart.js must be installed at run time) and the report's script/CSS. */
function staticParts(): Promise<StaticParts> {
  cached ??= (async () => {
    // chart.js exports no `./dist/*` subpath: resolve its entry, then take the UMD file beside it.
    let entry: string;
    try {
      entry = createRequire(import.meta.url).resolve('chart.js');
    } catch (error) {
      throw new Error(
        `the HTML report inlines Chart.js, and the chart.js package is not installed (${String(error)})`,
      );
    }
    const [chartJs, client, css] = await Promise.all([
      readFile(join(dirname(entry), 'chart.umd.js'), 'utf8'),
      readFile(new URL('report-client.js', ASSETS), 'utf8'),
      readFile(new URL('report.css', ASSETS), 'utf8'),
    ]);
    // `</script` inside a script element would end it early; Chart.js has none, but fail loudly if it ever does.
    if (/<\/script/i.test(chartJs + client))
      throw new Error('report scripts contain "</script": cannot inline them safely');
    return { chartJs, client, css };
  })();
  // A failed read is not remembered: the next export tries again (e.g. after an install).
  cached.catch(() => (cached = undefined));
  return cached;
}

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Every chart of the report, in page order, with unique ids. */
export function reportCharts(data: ReportData, analysis: ReportAnalysis): ChartModel[] {
  // Each layer's gradient charts sit right after its dead-unit chart.
  const dead = unitCharts(analysis, 'dead');
  const gradients = gradientCharts(data, analysis);
  const layers = [...new Set([...dead, ...gradients].map((c) => c.group))];
  const charts = [
    ...curveCharts(analysis, data),
    ...histogramCharts(data),
    ...layers.flatMap((layer) => [...dead, ...gradients].filter((c) => c.group === layer)),
    ...unitCharts(analysis, 'saturation'),
    ...linearCharts(data, analysis),
    ...bnParamCharts(data, analysis),
    ...bnModeCharts(data, analysis),
    ...ensembleCharts(data, analysis),
  ];
  const seen = new Map<string, number>();
  return charts.map((chart) => {
    const count = seen.get(chart.id) ?? 0;
    seen.set(chart.id, count + 1);
    return count === 0 ? chart : { ...chart, id: `${chart.id}-${count + 1}` };
  });
}

const SECTIONS: { section: ChartSection; title: string; intro: string }[] = [
  {
    section: 'curves',
    title: 'Training curves',
    intro:
      'Mean over seeds; the shaded band is ± one standard deviation when there are several seeds.',
  },
  {
    section: 'histograms',
    title: 'Activation histograms',
    intro:
      'Distribution of each layer’s values on the fixed probe batch, at the first, middle and last probed epochs, every variant overlaid on the same symmetric-log bins (16 per decade).',
  },
  {
    section: 'dead',
    title: 'Dead units (ReLU) and gradient flow',
    intro:
      'Fraction of channels or neurons whose output is zero for every probe image and position. Where recorded, beside it: the share of the layer’s units whose weight gradient on the probe batch is exactly zero (a dead unit’s always is), and the L2 norm of the layer’s weight gradient.',
  },
  {
    section: 'saturation',
    title: 'Saturation (tanh, sigmoid)',
    intro:
      'Fraction of outputs in the flat tails: |y| > 0.99 for tanh, y < 0.01 or y > 0.99 for sigmoid.',
  },
  {
    section: 'linear',
    title: 'Linear region vs saturation (tanh, sigmoid)',
    intro:
      'Share of pre-activations where the function stays close to its tangent at 0 (the linear band, defined in the README) — solid — against the saturated share — dashed. If BN pushed most values into the linear band, the layer acts almost linearly.',
  },
  {
    section: 'bn-params',
    title: 'BN’s learned scale γ and shift β',
    intro:
      'Mean over the layer’s units (the band: ± their spread), averaged over seeds. γ starts at 1 and β at 0; γ growing or β moving lets BN undo part of the normalisation.',
  },
  {
    section: 'bn-modes',
    title: 'BN’s two modes',
    intro:
      'Accuracy on the probe batch with BN normalising by its moving averages (inference, what validation uses) and by the batch’s own statistics (training-mode BN, dropout off). A gap means the moving averages lag the weights (the momentum setting controls how much).',
  },
  {
    section: 'ensemble',
    title: 'Dropout as an ensemble',
    intro:
      'Accuracy on the probe batch of the average prediction of k seeded thinned networks (Monte-Carlo dropout), at the last probe, against the weight-scaled network that standard inference uses (dashed, flat). The slides: the final prediction approximates the average of up to 2ⁿ thinned networks.',
  },
];

/** One chart's card: caption and canvas, drawn by the report script from the page's chart data. */
export function figure(chart: ChartModel): string {
  return `<figure class="chart" data-chart-id="${e(chart.id)}"><figcaption>${e(chart.title)}</figcaption><div class="chart-box"><canvas id="chart-${e(chart.id)}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" role="img" aria-label="${e(chart.title)}"></canvas></div></figure>`;
}

function chartSections(charts: ChartModel[]): string {
  return SECTIONS.map(({ section, title, intro }) => {
    const mine = charts.filter((c) => c.section === section);
    if (mine.length === 0) return '';
    const groups = [...new Set(mine.map((c) => c.group))];
    const body = groups
      .map((group) => {
        const grid = `<div class="charts">${mine
          .filter((c) => c.group === group)
          .map(figure)
          .join('')}</div>`;
        return group === null || section !== 'histograms' ? grid : `<h3>${e(group)}</h3>${grid}`;
      })
      .join('');
    return `<section id="${section}"><h2>${title}</h2><p class="muted">${intro}</p>${body}</section>`;
  }).join('\n');
}

/** A report page: its title, whether it is complete, the body's HTML and the charts it draws. */
export interface ReportDocument {
  title: string;
  complete: boolean;
  appVersion: string;
  body: string;
  charts: ChartModel[];
}

/**
 * Wraps a report body into the self-contained page: CSP by hash, inline CSS, the chart data,
 * Chart.js and the report script (which draws every `figure` of `charts`).
 */
export async function reportDocument(doc: ReportDocument): Promise<string> {
  const { chartJs, client, css } = await staticParts();
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(chartJs)} ${sha256(client)}`,
    `style-src ${sha256(css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="BN·Dropout Lab ${e(doc.appVersion)}">
<title>${e(doc.title)} — BN·Dropout Lab report</title>
<style>${css}</style>
</head>
<body data-complete="${doc.complete}">
${doc.body}
<footer>Self-contained report: the charts, data and scripts are inside this file; it makes no network request.</footer>
<script type="application/json" id="report-data">${jsonForScript({ charts: doc.charts })}</script>
<script>${chartJs}</script>
<script>${client}</script>
</body>
</html>
`;
}

/** The complete report page as one HTML string. */
export async function renderHtml(
  data: ReportData,
  analysis: ReportAnalysis = analyzeReport(data),
): Promise<string> {
  const charts = reportCharts(data, analysis);
  const noCharts =
    charts.length === 0 ? '<p>No epoch has finished yet, so there is nothing to chart.</p>' : '';
  return reportDocument({
    title: data.experiment.name,
    complete: analysis.complete,
    appVersion: data.appVersion,
    charts,
    body: `${headerSection(data, analysis)}
${environmentSection(data)}
${configSection(analysis)}
${conclusionsSection(analysis)}
${claimsSection(analysis)}
${noCharts}${chartSections(charts)}`,
  });
}
