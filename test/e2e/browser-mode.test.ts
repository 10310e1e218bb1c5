/**
 * Browser mode end to end: Chromium drives the built renderer served by the real server, over a
 * real lab (fresh home per test) whose trainers are real processes on the wasm backend.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { launchChromium, recordPageErrors, screenshot } from './helpers/browser.js';
import { chartIds, chartSeries, pointCount } from './helpers/charts.js';
import { RENDERER_DIR, startLabServer, type LabServer } from './helpers/lab-server.js';
import { startServer } from '../../main/server/index.js';

// Launched by the first test rather than in beforeAll: a missing Chromium then fails every test
// with its message instead of reporting them as skipped.
let browser: Browser | null = null;

afterAll(async () => {
  await browser?.close();
});

async function withLab(
  body: (lab: LabServer, page: Page, errors: string[]) => Promise<void>,
): Promise<void> {
  browser ??= await launchChromium();
  const lab = await startLabServer();
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  try {
    await body(lab, page, errors);
  } finally {
    await context.close();
    await lab.close();
  }
}

const POLL = { timeout: 180_000, interval: 500 };

describe('browser mode', () => {
  test('a page or a socket without the session token is refused', async () => {
    await withLab(async ({ server }, page) => {
      const base = `http://${server.host}:${server.port}`;
      await page.goto(`${base}/`);
      await expect
        .poll(() => page.getByTestId('connection-error').textContent())
        .toContain('session token');
      await expect
        .poll(() => page.getByTestId('connection-state').textContent())
        .toContain('not connected');
      await screenshot(page, 'refused-no-token');

      await page.goto(`${base}/?token=not-the-token`);
      await expect
        .poll(() => page.getByTestId('connection-error').textContent(), POLL)
        .toContain('Cannot reach the lab server');
      await expect
        .poll(() => page.getByTestId('connection-state').textContent())
        .toMatch(/disconnected|reconnecting/);
      await screenshot(page, 'refused-wrong-token');

      const status = await new Promise<number | string>((resolve) => {
        const ws = new WebSocket(`ws://${server.host}:${server.port}/api`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve('open'));
        ws.on('error', (e) => resolve(e.message));
      });
      expect(status).toBe(403);
    });
  });

  test('the status bar says "disconnected" while the server is gone, and the page reconnects', async () => {
    await withLab(async ({ lab, server }, page) => {
      await page.goto(server.url);
      const state = page.getByTestId('connection-state');
      await expect.poll(() => state.textContent()).toContain('connected');
      await page.getByTestId('library-empty').waitFor();

      await server.close();
      await expect.poll(() => state.textContent(), POLL).toMatch(/disconnected|reconnecting/);
      await screenshot(page, 'disconnected');

      // The same port and token again, as a restarted `bnlab serve --port` with that link would be.
      const again = await startServer({
        lab,
        staticDir: RENDERER_DIR,
        port: server.port,
        token: server.token,
      });
      try {
        await expect.poll(() => state.textContent(), POLL).toMatch(/^\W*connected/);
        await page.getByTestId('library-empty').waitFor();
      } finally {
        await again.close();
      }
    });
  });

  test('invalid values are explained next to the field, and a broken experiment file is refused', async () => {
    await withLab(async ({ server }, page) => {
      await page.goto(server.url);
      await page.getByTestId('library-empty').waitFor();
      await screenshot(page, 'library-empty');

      // Presets: the seed's questions, with the preset's own defaults; bad overrides are explained.
      await page.getByRole('link', { name: 'New experiment' }).first().click();
      await expect.poll(() => page.getByTestId('preset-description').textContent()).toMatch(/\?/);
      await page.getByLabel('Seeds').fill('50');
      await expect.poll(() => page.getByTestId('error-seeds').textContent()).toMatch(/<=\s*20/);
      await screenshot(page, 'new-experiment-preset');

      await page.getByTestId('mode-custom').check();
      await page.getByLabel('Epochs', { exact: true }).fill('0');
      await page.getByLabel('Variant 2 dense dropout').fill('1.5');
      await page.getByLabel('Variant 1 name').fill('Bad Name');
      await expect
        .poll(() => page.getByTestId('error-training.epochs').textContent())
        .toMatch(/>=\s*1/);
      await expect
        .poll(() => page.getByTestId('error-variants.1.dropout').textContent())
        .toMatch(/<\s*1/);
      await expect
        .poll(() => page.getByTestId('error-variants.0.name').textContent())
        .toContain('lower-case');
      await page.getByTestId('start-experiment').click();
      await expect
        .poll(() => page.getByTestId('submit-error').textContent())
        .toContain('Fix the fields');
      await screenshot(page, 'new-experiment-invalid');

      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByTestId('import-file').setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          JSON.stringify({ name: 'broken', variants: [{ name: 'a', bn: 'sideways' }] }),
        ),
      });
      await expect
        .poll(() => page.getByTestId('import-error').textContent())
        .toContain('variants.0.bn');
      await expect.poll(() => page.getByTestId('library-empty').isVisible()).toBe(true);
      await screenshot(page, 'library-import-refused');
    });
  });

  test('a tiny MNIST experiment trains live, a run stops, and the runs are there after a reload', async () => {
    await withLab(async ({ server }, page, errors) => {
      await page.goto(server.url);
      await expect
        .poll(() => page.getByTestId('backend-status').textContent(), POLL)
        .toContain('wasm');

      await page.getByRole('link', { name: 'New experiment' }).first().click();
      await page.getByTestId('mode-custom').check();
      await page.getByLabel('Name', { exact: true }).fill('e2e-tiny');
      await page.getByLabel('Epochs', { exact: true }).fill('4');
      await page.getByLabel('Batch size').fill('64');
      await page.getByLabel('Train subset (images)').fill('512');
      await page.getByLabel('Probe images').fill('32');
      await page.getByLabel('Variant 1 width').fill('0.25');
      await page.getByLabel('Variant 2 width').fill('0.25');
      await page.getByLabel('Backend').selectOption('wasm');
      await screenshot(page, 'new-experiment');
      await page.getByTestId('start-experiment').click();

      await page.getByTestId('experiment-view').waitFor();
      const loss = page.getByTestId('curves-loss');
      // Curves appear after the first epoch, for both variants, train and validation…
      const seriesWithPoints = async () =>
        [...(await chartSeries(loss)).entries()]
          .filter(([, n]) => n > 0)
          .map(([label]) => label)
          .sort();
      await expect
        .poll(seriesWithPoints, POLL)
        .toEqual(['bn-before train', 'bn-before validation', 'no-bn train', 'no-bn validation']);
      const first = await pointCount(loss);
      // …and grow while it trains.
      await expect.poll(() => pointCount(loss), POLL).toBeGreaterThan(first);
      await screenshot(page, 'experiment-live');

      // Stop one run while it trains.
      const bnRow = page.locator(
        '[data-testid="runs-panel"] [data-testid="run-row"][data-variant="bn-before"]',
      );
      await bnRow.getByTestId('stop-run').click();
      await expect.poll(() => bnRow.getAttribute('data-status'), POLL).toBe('stopped');
      const noBnRow = page.locator(
        '[data-testid="runs-panel"] [data-testid="run-row"][data-variant="no-bn"]',
      );
      await expect.poll(() => noBnRow.getAttribute('data-status'), POLL).toBe('completed');
      await expect
        .poll(async () => (await chartSeries(loss)).get('no-bn validation'), POLL)
        .toBe(4);

      // Histograms (pre and post) and dead-neuron charts for every layer show every variant.
      const histograms = await chartIds(page, 'histogram-');
      expect(histograms.length).toBeGreaterThanOrEqual(4);
      expect(histograms.filter((id) => id.endsWith('-pre')).length).toBe(
        histograms.filter((id) => id.endsWith('-post')).length,
      );
      const dead = await chartIds(page, 'dead-');
      expect(dead.length).toBe(histograms.length / 2);
      for (const id of [...histograms, ...dead]) {
        const labels = [...(await chartSeries(page.getByTestId(id))).keys()].join(' | ');
        expect(labels, id).toContain('no-bn');
        expect(labels, id).toContain('bn-before');
      }
      await screenshot(page, 'experiment-done');

      // The epoch slider's Play walks the histograms through the epochs from the first.
      const shownEpoch = page.getByTestId('histogram-epoch');
      await expect.poll(() => shownEpoch.textContent()).toBe('4');
      await page.getByTestId('histogram-play').click();
      await expect.poll(() => shownEpoch.textContent()).not.toBe('4');
      await expect.poll(() => shownEpoch.textContent(), POLL).toBe('4');
      await expect.poll(() => page.getByTestId('histogram-play').textContent()).toBe('Play');
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, 'experiment-done-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // Export: browser mode hands back a same-origin download link.
      await page.getByLabel('Report format').selectOption('html');
      await page.getByRole('button', { name: 'Export report' }).click();
      const download = page.getByTestId('export-control').getByRole('link', { name: 'Download' });
      await expect
        .poll(() => download.getAttribute('href'), POLL)
        .toMatch(/^\/reports\/.+\?token=/);

      // Reload: the stored runs come back from disk.
      await page.reload();
      await expect
        .poll(
          async () => (await chartSeries(page.getByTestId('curves-loss'))).get('no-bn validation'),
          POLL,
        )
        .toBe(4);
      await page.getByRole('link', { name: 'Library' }).click();
      const rows = page.locator('[data-testid="runs-table"] [data-testid="run-row"]');
      await expect.poll(() => rows.count(), POLL).toBe(2);
      const statuses = await page
        .locator('[data-testid="runs-table"] [data-testid="run-status"]')
        .allTextContents();
      expect(statuses.sort()).toEqual(['completed', 'stopped']);
      await expect
        .poll(() => page.getByTestId('experiments-table').textContent())
        .toContain('e2e-tiny');
      await screenshot(page, 'library');

      // Run detail: model summary and the backend with its reason.
      await rows.filter({ hasText: 'no-bn' }).getByRole('link').first().click();
      await expect
        .poll(() => page.getByTestId('run-backend').textContent(), POLL)
        .toContain('wasm');
      await expect
        .poll(() => page.getByTestId('model-summary').locator('tbody tr').count())
        .toBeGreaterThan(3);
      await expect
        .poll(() => page.getByTestId('run-events').textContent())
        .toContain('completed after 4 epochs');
      await screenshot(page, 'run-detail');

      // Datasets: MNIST is built in.
      await page.getByRole('link', { name: 'Datasets' }).click();
      await expect
        .poll(() => page.locator('[data-dataset="mnist"]').textContent(), POLL)
        .toContain('available');
      await screenshot(page, 'datasets');

      // Resume the stopped run: it continues from its checkpoint to the last epoch.
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByTestId('experiments-table').getByRole('link', { name: 'e2e-tiny' }).click();
      const resumeRow = page.locator(
        '[data-testid="runs-panel"] [data-testid="run-row"][data-variant="bn-before"]',
      );
      await resumeRow.getByTestId('resume-run').click();
      await expect.poll(() => resumeRow.getAttribute('data-status'), POLL).toBe('completed');
      await expect
        .poll(
          async () =>
            (await chartSeries(page.getByTestId('curves-loss'))).get('bn-before validation'),
          POLL,
        )
        .toBe(4);
      await screenshot(page, 'experiment-resumed');

      // Delete, after a confirmation: the library is empty again.
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('button', { name: 'Delete e2e-tiny' }).click();
      await expect
        .poll(() => page.getByTestId('experiments-table').textContent())
        .toContain('and its 2 runs?');
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByTestId('library-empty').waitFor();

      expect(errors.filter((e) => !e.includes('WebSocket'))).toEqual([]);
    });
  });
});
