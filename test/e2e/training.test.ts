/**
 * The whole loop in browser mode: Chromium drives the built renderer served by the real server,
 * over a real lab (fresh home) whose trainers are real processes on the wasm backend.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { screenshot } from './helpers/browser.js';
import { viewScreenshots } from './helpers/screenshots.js';
import { chartIds, chartSeries, pointCount } from './helpers/charts.js';
import { closeBrowser, POLL, withLab } from './helpers/session.js';

afterAll(closeBrowser);

describe('browser mode: training', () => {
  test('a tiny MNIST experiment trains live, a run stops, and the runs are there after a reload', async () => {
    await withLab(async ({ server }, page, errors) => {
      await page.goto(server.url);
      await expect
        .poll(() => page.getByTestId('backend-status').textContent(), POLL)
        .toContain('wasm');

      await page.getByRole('link', { name: 'New experiment' }).first().click();
      await page.getByTestId('mode-custom').check();
      // The custom form starts from the first preset (bn-simple, quick): keep two of its variants.
      await page.getByRole('button', { name: 'Remove variant bn-after' }).click();
      await page.getByLabel('Name', { exact: true }).fill('e2e-tiny');
      await page.getByLabel('Epochs', { exact: true }).fill('4');
      await page.getByLabel('Batch size').fill('64');
      // Long enough epochs that the run stopped below is still training when its Stop is clicked.
      await page.getByLabel('Train subset (images)').fill('2048');
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

      // Stop one run while it trains (right after its first epoch: three are left).
      const bnRow = page.locator(
        '[data-testid="runs-panel"] [data-testid="run-row"][data-variant="bn-before"]',
      );
      await bnRow.getByTestId('stop-run').click();
      // …and the curves grow while the other run trains on.
      await expect.poll(() => pointCount(loss), POLL).toBeGreaterThan(first);
      await screenshot(page, 'experiment-live');
      await expect.poll(() => bnRow.getAttribute('data-status'), POLL).toBe('stopped');
      const noBnRow = page.locator(
        '[data-testid="runs-panel"] [data-testid="run-row"][data-variant="no-bn"]',
      );
      await expect.poll(() => noBnRow.getAttribute('data-status'), POLL).toBe('completed');
      // A finished run is judged by the not-learned rule (learned or not: it is 512 images).
      await expect.poll(() => noBnRow.getAttribute('data-learned'), POLL).toMatch(/^(true|false)$/);
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
      await viewScreenshots(page, 'run-detail');

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
