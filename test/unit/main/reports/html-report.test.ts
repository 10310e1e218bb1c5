import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  REPORT_URL,
  waitForReportReady,
  withReportPage,
} from '../../../../main/reports/chromium.js';
import { renderHtml } from '../../../../main/reports/html.js';
import type { ChartModel } from '../../../../main/reports/chart-model.js';
import { artifactsDir, requireChromium } from './chromium-required.js';
import { buildReportData } from './fixtures.js';

let executablePath: string;
beforeAll(() => {
  executablePath = requireChromium();
});

/** Per canvas: how many pixels have one of its series' colours (within a small tolerance). */
async function seriesPixels(page: Page): Promise<{ id: string; pixels: number }[]> {
  return page.evaluate<{ id: string; pixels: number }[]>(`(() => {
    const charts = JSON.parse(document.getElementById('report-data').textContent).charts;
    return charts.map((chart) => {
      const canvas = document.getElementById('chart-' + chart.id);
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const colours = chart.series.map((s) => [1, 3, 5].map((i) => parseInt(s.color.slice(i, i + 2), 16)));
      let pixels = 0;
      for (let p = 0; p < data.length; p += 4) {
        if (colours.some((c) => Math.abs(c[0] - data[p]) + Math.abs(c[1] - data[p + 1]) + Math.abs(c[2] - data[p + 2]) < 40)) pixels++;
      }
      return { id: chart.id, pixels };
    });
  })()`);
}

describe('HTML report', () => {
  it('opens with every network request blocked, makes none, and draws every chart', async () => {
    const data = buildReportData();
    const html = await renderHtml(data);
    writeFileSync(join(artifactsDir(), 'report.html'), html);
    await withReportPage(html, { executablePath }, async ({ page, requests, blocked, errors }) => {
      await page.screenshot({ path: join(artifactsDir(), 'report.png'), fullPage: true });
      expect(requests).toEqual([REPORT_URL]);
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      const charts = await page.evaluate<ChartModel[]>(
        `JSON.parse(document.getElementById('report-data').textContent).charts`,
      );
      // 2 curves + 3 layers × 3 epochs × (pre, post) histograms + 3 dead-unit charts.
      expect(charts.length).toBe(2 + 18 + 3);
      expect(await page.locator('figure.chart canvas').count()).toBe(charts.length);
      for (const { id, pixels } of await seriesPixels(page)) {
        expect(pixels, `chart ${id} shows its data`).toBeGreaterThan(100);
      }
      await expect.poll(() => page.title()).toContain('bn-simple-test');
      const status = await page.getByTestId('report-status').textContent();
      expect(status).toContain('Complete');
    });
  });

  it('has a strict CSP and shows the conclusions, environment and config differences', async () => {
    const html = await renderHtml(buildReportData());
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src 'sha256-[^']+'/,
    );
    expect(html).not.toMatch(/<script[^>]+src=|<link[\s>]|<img[\s>]|<iframe[\s>]/i);
    expect(
      html.slice(html.indexOf('<style>'), html.indexOf('</style>')),
      'no CSS url()',
    ).not.toContain('url(');
    await withReportPage(html, { executablePath }, async ({ page }) => {
      const conclusions = page.getByTestId('conclusions');
      await expect.poll(() => conclusions.locator('tbody tr').count()).toBe(2);
      const bnRow = await conclusions.locator('tbody tr').nth(1).textContent();
      expect(bnRow).toContain('bn-before');
      expect(bnRow).toContain('no-bn');
      const config = await page.getByTestId('config-differences').textContent();
      expect(config).toContain('before-activation');
      const environment = await page.locator('#environment').textContent();
      expect(environment).toContain('wasm on cpu');
      expect(environment).toContain('tfjs 4.22.0');
      expect(environment).toContain('2000 train');
      expect(environment).not.toContain('lab-host');
    });
  });

  it('enforces its CSP: an injected inline script does not run and a remote image is never requested', async () => {
    const html = (await renderHtml(buildReportData())).replace(
      '</body>',
      '<script>window.__injected = 1</script><img src="http://remote.invalid/pixel.png"></body>',
    );
    await withReportPage(html, { executablePath }, async ({ page, requests, blocked, errors }) => {
      expect(await page.evaluate('window.__injected ?? null')).toBeNull();
      // Chromium announces the image request, then CSP stops it before it reaches the network.
      expect(requests).toContain('http://remote.invalid/pixel.png');
      expect(blocked).toEqual([]);
      expect(errors.join('\n')).toMatch(
        /Executing inline script violates the following Content Security Policy/,
      );
      expect(errors.join('\n')).toMatch(
        /Loading the image 'http:\/\/remote.invalid\/pixel.png' violates the following Content Security Policy/,
      );
    });
  });

  it('shows hostile experiment text as text: no markup, no script runs', async () => {
    const hostile = `<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script><!--`;
    const data = buildReportData({
      description: hostile,
      layers: ['conv1', '<b onmouseover=alert(1)>dense</b>'],
    });
    data.experiment.name = `evil"><svg onload="window.__pwned=3">`;
    const html = await renderHtml(data);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    await withReportPage(html, { executablePath }, async ({ page, blocked }) => {
      expect(await page.evaluate('window.__pwned ?? null')).toBeNull();
      expect(await page.locator('img, svg, b').count()).toBe(0);
      expect(await page.locator('.description').textContent()).toBe(hostile);
      expect(await page.locator('h1').textContent()).toBe(data.experiment.name);
      expect(blocked).toEqual([]);
    });
  });

  it('says an unfinished experiment is incomplete and charts what exists', async () => {
    const data = buildReportData({
      epochs: 5,
      progress: (variant, seed) =>
        variant.name === 'bn-before'
          ? { status: seed === 0 ? 'running' : 'queued', epochsDone: seed === 0 ? 2 : 0 }
          : { status: 'completed', epochsDone: 5 },
    });
    const html = await renderHtml(data);
    await withReportPage(html, { executablePath }, async ({ page }) => {
      const status = await page.getByTestId('report-status').textContent();
      expect(status).toContain('Incomplete');
      expect(status).toContain('1 run is queued');
      expect(status).toContain('1 run is running');
      expect(await page.locator('body').getAttribute('data-complete')).toBe('false');
      for (const { id, pixels } of await seriesPixels(page))
        expect(pixels, `chart ${id}`).toBeGreaterThan(100);
    });
  });

  it('renders an experiment whose runs are all queued: incomplete, nothing to chart yet', async () => {
    const data = buildReportData({ progress: () => ({ status: 'queued', epochsDone: 0 }) });
    data.runs.forEach((run) => (run.events = []));
    await withReportPage(await renderHtml(data), { executablePath }, async ({ page, errors }) => {
      expect(await page.getByTestId('report-status').textContent()).toContain('4 runs are queued');
      expect(await page.locator('body').textContent()).toContain('No epoch has finished yet');
      expect(await page.locator('canvas').count()).toBe(0);
      expect(errors).toEqual([]);
    });
  });

  it('opens from a file on disk (as a user double-clicks it) with no request but the file itself', async () => {
    const path = join(artifactsDir(), 'report-file-open.html');
    writeFileSync(path, await renderHtml(buildReportData()));
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(pathToFileURL(path).href);
      await waitForReportReady((expression) => page.evaluate(expression), 60_000);
      expect(await page.evaluate('window.__reportError ?? null')).toBeNull();
      expect(await page.evaluate('window.__reportChartCount')).toBe(23);
      expect(requests).toEqual([pathToFileURL(path).href]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
