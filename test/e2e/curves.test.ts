/**
 * Comparing runs on the line charts, in browser mode (Chromium, real lab, real wasm trainers):
 * hiding runs with their eye button and series with their legend button survives live epochs
 * (series, bands, histograms, dead units); per-seed lines; the per-batch training curve; zoom and
 * reset; the shared tooltip; PNG and CSV downloads of what a chart shows.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { screenshot } from './helpers/browser.js';
import { chartIds, chartSeries, pointCount } from './helpers/charts.js';
import { closeBrowser, POLL, withLab } from './helpers/session.js';

afterAll(closeBrowser);

const EPOCHS = 4;

async function labels(chart: Locator): Promise<string[]> {
  return [...(await chartSeries(chart)).keys()].sort();
}

/** Drags across the middle of a chart's canvas, from 30 % to 60 % of its width. */
async function dragZoom(page: Page, chart: Locator): Promise<void> {
  const box = await chart.locator('canvas').boundingBox();
  if (!box) throw new Error('chart canvas has no box');
  const y = box.y + box.height * 0.5;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, y + 20, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, y + 40, { steps: 5 });
  await page.mouse.up();
}

const xRange = async (chart: Locator) =>
  ((await chart.getAttribute('data-x-range')) ?? '').split('–').map(Number);

describe('browser mode: comparing runs on the line charts', () => {
  test(
    'visibility survives live epochs, seeds, per-batch curve, zoom, tooltip and downloads',
    {
      timeout: 900_000,
    },
    async () => {
      await withLab(async ({ server }, page, errors) => {
        await page.goto(server.url);
        await page.getByRole('link', { name: 'New experiment' }).first().click();
        await page.getByTestId('mode-custom').check();
        // The custom form starts from the first preset (bn-simple, quick): keep two of its variants.
        await page.getByRole('button', { name: 'Remove variant bn-after' }).click();
        await page.getByLabel('Name', { exact: true }).fill('e2e-curves');
        await page.getByLabel('Seeds', { exact: true }).fill('2');
        await page.getByLabel('Epochs', { exact: true }).fill(String(EPOCHS));
        await page.getByLabel('Batch size').fill('32');
        // 64 batches an epoch: several progress events (every 250 ms) inside each epoch.
        await page.getByLabel('Train subset (images)').fill('2048');
        await page.getByLabel('Probe images').fill('32');
        await page.getByLabel('Variant 1 width').fill('0.25');
        await page.getByLabel('Variant 2 width').fill('0.25');
        await page.getByLabel('Backend').selectOption('wasm');
        await page.getByTestId('start-experiment').click();
        await page.getByTestId('experiment-view').waitFor({ timeout: POLL.timeout });

        const loss = page.getByTestId('curves-loss');
        const accuracy = page.getByTestId('curves-accuracy');
        const batchLoss = page.getByTestId('batch-loss');
        // A first epoch ends for both variants (runs train two at a time): then hide both no-bn runs
        // with their eye buttons.
        for (const series of ['no-bn validation', 'bn-before validation']) {
          await expect
            .poll(async () => (await chartSeries(loss)).get(series) ?? 0, {
              ...POLL,
              timeout: 600_000,
            })
            .toBeGreaterThan(0);
        }
        const noBnEyes = page.locator(
          '[data-testid="run-row"][data-variant="no-bn"] [data-testid="toggle-run"]',
        );
        expect(await noBnEyes.count()).toBe(2);
        for (const eye of await noBnEyes.all()) {
          await eye.focus();
          await page.keyboard.press('Enter'); // keyboard reachable
          expect(await eye.getAttribute('aria-pressed')).toBe('false');
        }
        // …and hide bn-before's validation series with its legend button.
        const legendButton = page
          .getByTestId('curves-loss-legend')
          .getByRole('button', { name: 'bn-before validation' });
        await legendButton.click();
        expect(await legendButton.getAttribute('aria-pressed')).toBe('false');

        // Let another epoch arrive for bn-before: nothing hidden comes back.
        const bnEpochs = (await chartSeries(accuracy)).get('bn-before train') ?? 0;
        await expect
          .poll(async () => (await chartSeries(accuracy)).get('bn-before train') ?? 0, POLL)
          .toBeGreaterThan(bnEpochs);
        expect(await labels(loss)).toEqual(['bn-before train']);
        // A band is drawn once both bn-before seeds reached an epoch; never a hidden series' band.
        expect(['', 'bn-before train']).toContain(await loss.getAttribute('data-bands'));
        expect(await labels(accuracy)).toEqual(['bn-before train', 'bn-before validation']);
        const batchLabels = await labels(batchLoss);
        expect(batchLabels.length).toBeGreaterThan(0);
        for (const name of batchLabels) expect(name).toMatch(/^bn-before seed \d/);
        const probeCharts = [
          ...(await chartIds(page, 'histogram-')),
          ...(await chartIds(page, 'dead-')),
        ];
        expect(probeCharts.length).toBeGreaterThanOrEqual(3);
        for (const id of probeCharts) {
          const names = (await labels(page.getByTestId(id))).join(' | ');
          expect(names, id).toContain('bn-before');
          expect(names, id).not.toContain('no-bn');
        }
        await screenshot(page, 'curves-hidden');

        // Shown again: the no-bn runs come back everywhere.
        for (const eye of await noBnEyes.all()) await eye.click();
        await legendButton.click();
        await expect.poll(() => labels(loss), POLL).toContain('no-bn validation');
        expect(await labels(loss)).toContain('bn-before validation');

        // Training finishes; the per-batch curve had points inside the epochs (more than one per
        // epoch for every run), and the same points come back from disk after a reload.
        const rows = page.locator('[data-testid="runs-panel"] [data-testid="run-row"]');
        await expect
          .poll(
            async () =>
              (
                await Promise.all((await rows.all()).map((r) => r.getAttribute('data-status')))
              ).sort(),
            {
              ...POLL,
              timeout: 600_000,
            },
          )
          .toEqual(['completed', 'completed', 'completed', 'completed']);
        const batchSeries = await chartSeries(batchLoss);
        for (const name of ['no-bn seed 1', 'no-bn seed 2', 'bn-before seed 1', 'bn-before seed 2'])
          expect(batchSeries.get(name), name).toBeGreaterThan(EPOCHS + 1);
        await page.reload();
        await expect
          .poll(
            async () => (await chartSeries(page.getByTestId('batch-loss'))).get('no-bn seed 1'),
            POLL,
          )
          // Live, the view may have missed the events of a run's first moments (before it opened).
          .toBeGreaterThanOrEqual(batchSeries.get('no-bn seed 1') ?? 0);
        // The x axis switches to steps and to wall time.
        await page.getByTestId('batch-axis-step').check({ force: true });
        await expect
          .poll(async () => (await xRange(batchLoss))[1] ?? 0)
          .toBeGreaterThan(EPOCHS * 10);

        // Per-seed lines.
        await page.getByTestId('curve-mode-seeds').check({ force: true });
        await expect
          .poll(() => labels(accuracy))
          .toEqual(
            expect.arrayContaining([
              'no-bn seed 1 validation',
              'no-bn seed 2 validation',
              'bn-before seed 1 train',
              'bn-before seed 2 train',
            ]),
          );
        expect(await accuracy.getAttribute('data-bands')).toBe('');
        await page.getByTestId('curve-mode-minmax').check({ force: true });
        await expect.poll(() => accuracy.getAttribute('data-bands')).toContain('no-bn train');

        // Zoom by dragging, then reset.
        const full = await xRange(loss);
        expect(full).toEqual([1, EPOCHS]);
        await loss.scrollIntoViewIfNeeded();
        await dragZoom(page, loss);
        await expect.poll(() => xRange(loss)).not.toEqual(full);
        const [zMin = 0, zMax = 0] = await xRange(loss);
        expect(zMin).toBeGreaterThan(1);
        expect(zMax).toBeLessThan(EPOCHS);
        const reset = page.getByTestId('curves-loss-reset');
        await reset.click();
        await expect.poll(() => xRange(loss)).toEqual(full);
        expect(await reset.isDisabled()).toBe(true);

        // The tooltip at an epoch lists every variant, with its unit and spread.
        await accuracy.scrollIntoViewIfNeeded();
        const box = await accuracy.locator('canvas').boundingBox();
        if (!box) throw new Error('no canvas');
        await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
        const tooltip = page.getByTestId('curves-accuracy-tooltip');
        await expect.poll(() => tooltip.textContent()).toMatch(/^epoch \d/);
        const tip = (await tooltip.textContent()) ?? '';
        for (const series of [
          'no-bn train',
          'no-bn validation',
          'bn-before train',
          'bn-before validation',
        ])
          expect(tip).toContain(`${series}: `);
        expect(tip).toMatch(/ %/);
        expect(tip).toMatch(/± \d/);
        await screenshot(page, 'curves-tooltip');

        // Downloads: a PNG and a CSV of exactly the series shown (one hidden first).
        await page
          .getByTestId('curves-accuracy-legend')
          .getByRole('button', { name: 'no-bn train' })
          .click();
        const [png] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('curves-accuracy-png').click(),
        ]);
        expect(png.suggestedFilename()).toBe('accuracy.png');
        const pngBytes = readFileSync((await png.path()) ?? '');
        expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
        expect(pngBytes.length).toBeGreaterThan(5000);
        const [csv] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('curves-accuracy-csv').click(),
        ]);
        expect(csv.suggestedFilename()).toBe('accuracy.csv');
        const lines = readFileSync((await csv.path()) ?? '', 'utf8')
          .trim()
          .split('\r\n');
        expect(lines[0]).toBe('series,epoch,accuracy %,std,min,max');
        const inCsv = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))].sort();
        expect(inCsv).toEqual(await labels(accuracy));
        expect(inCsv).not.toContain('no-bn train');
        expect(lines.length - 1).toBe(await pointCount(accuracy));

        // The view at both sizes, light and dark, as test artefacts.
        await page
          .getByTestId('curves-accuracy-legend')
          .getByRole('button', { name: 'no-bn train' })
          .click();
        for (const [width, height] of [
          [1440, 900],
          [1024, 700],
        ] as const) {
          await page.setViewportSize({ width, height });
          for (const scheme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme: scheme });
            await screenshot(page, `curves-${width}x${height}-${scheme}`);
          }
        }

        expect(errors.filter((e) => !e.includes('WebSocket'))).toEqual([]);
      });
    },
  );
});
