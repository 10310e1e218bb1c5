/**
 * The views a user reads after training (issue 11, items 4 and 7): the distributions over epochs
 * for every layer, smoother histograms, the dead-unit charts' wording, the status bar while idle,
 * the Library at 1024 and 480 px, the Datasets page in browser mode and the custom form's
 * defaults — and screenshots of each view at 1440×900 and 1024×700, light and dark.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ExperimentSpec } from '../../main/api/config.js';
import { callLab } from '../../main/cli/call.js';
import { tinyExperiment } from '../helpers/tiny-experiment.js';
import { chartIds, chartSeries, pointCount } from './helpers/charts.js';
import { viewScreenshots } from './helpers/screenshots.js';
import { closeBrowser, POLL, withLab } from './helpers/session.js';

afterAll(closeBrowser);

describe('browser mode: views after training', () => {
  test('distributions per layer, status bar, layouts at 1024 and 480 px, datasets, form defaults', async () => {
    await withLab(async ({ server, lab }, page, errors) => {
      await page.goto(server.url);
      const status = page.getByTestId('backend-status');
      await expect.poll(() => status.textContent(), POLL).toMatch(/^\s*Idle · backend wasm/);

      // A real tiny experiment (two variants, three epochs) trained by the lab's trainers.
      const base = tinyExperiment();
      const spec = ExperimentSpec.parse({
        ...base,
        name: 'views-tiny',
        training: { ...base.training, epochs: 3 },
      });
      const { experiment } = await callLab(lab, 'experiments.create', { spec, backend: 'wasm' });
      await expect.poll(() => status.textContent(), POLL).toMatch(/Training \d runs? /);
      await lab.idle();
      await expect.poll(() => status.textContent(), POLL).toMatch(/^\s*Idle · backend wasm/);

      await page.goto(`${server.url}#/experiment/${encodeURIComponent(experiment.id)}`);
      await page.getByTestId('experiment-view').waitFor();
      await expect
        .poll(
          async () => (await chartSeries(page.getByTestId('curves-loss'))).get('no-bn validation'),
          POLL,
        )
        .toBe(3);

      // Distributions over epochs: one block per layer the histograms show, each with a chart per
      // variant, every one holding a median point per epoch.
      const layers = (await chartIds(page, 'histogram-'))
        .filter((id) => id.endsWith('-pre'))
        .map((id) => id.slice('histogram-'.length, -'-pre'.length));
      expect(layers.length).toBeGreaterThanOrEqual(3);
      const blocks = page.getByTestId('distribution-layer');
      await expect.poll(() => blocks.count()).toBe(layers.length);
      for (const layer of layers) {
        for (const variant of ['no-bn', 'bn-before']) {
          const chart = page.getByTestId(`distribution-${layer}-${variant}`);
          expect(await chart.locator('canvas').count(), `${layer} ${variant}`).toBe(1);
          expect((await chartSeries(chart)).get(`${variant} median`), `${layer} ${variant}`).toBe(
            3,
          );
        }
      }
      // Overlaid: one chart per layer with both variants' medians; after the activation too.
      await page.getByTestId('distributions-layout').selectOption('overlaid');
      await page.getByTestId('distributions-side').selectOption('post');
      for (const layer of layers) {
        const chart = page.getByTestId(`distribution-${layer}`);
        await expect
          .poll(async () => [...(await chartSeries(chart)).entries()].sort())
          .toEqual([
            ['bn-before median', 3],
            ['no-bn median', 3],
          ]);
        expect(await chart.locator('canvas').count()).toBe(1);
      }
      await page.getByTestId('distributions-layout').selectOption('side-by-side');
      await page.getByTestId('distributions-side').selectOption('pre');

      // Smoother histograms: coarser bins draw fewer points for the same variants.
      const firstHistogram = page.getByTestId(`histogram-${layers[0]}-pre`);
      const finePoints = await pointCount(firstHistogram);
      const fineLabels = [...(await chartSeries(firstHistogram)).keys()];
      await page.getByTestId('histogram-drawing').selectOption('coarse');
      await expect.poll(() => pointCount(firstHistogram)).toBeLessThan(finePoints);
      expect([...(await chartSeries(firstHistogram)).keys()]).toEqual(fineLabels);
      await page.getByTestId('histogram-drawing').selectOption('line');
      await expect.poll(() => pointCount(firstHistogram)).toBe(finePoints);

      // Dead-unit charts say how seeds are combined and how coinciding lines stay visible.
      const deadNote = (await page.getByTestId('dead-note').textContent()) ?? '';
      expect(deadNote.replace(/\s+/g, ' ')).toMatch(/seeds are averaged.*own hollow marker/);
      await viewScreenshots(page, 'experiment');

      // Library at 1024×700: the delete confirmation's buttons stay inside the window.
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('button', { name: 'Delete views-tiny' }).click();
      const cancel = page.getByRole('button', { name: 'Cancel' });
      const yes = page.getByRole('button', { name: 'Yes, delete' });
      for (const button of [cancel, yes]) {
        const box = (await button.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(1024);
      }
      // Names do not break inside a word: the link is one line box (one client rect per line).
      const nameLink = page
        .getByTestId('experiments-table')
        .getByRole('link', { name: 'views-tiny' });
      const lineBoxes = (el: { getClientRects(): { length: number } }) =>
        el.getClientRects().length;
      expect(await nameLink.evaluate(lineBoxes)).toBe(1);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
      await viewScreenshots(page, 'library-confirm-delete');
      await cancel.click();
      await viewScreenshots(page, 'library');

      // 480 px: the runs table is no wider than its container, and nothing scrolls sideways.
      await page.setViewportSize({ width: 480, height: 800 });
      const runsTable = page.getByTestId('runs-table');
      const tableWidth = (await runsTable.boundingBox())!.width;
      const containerWidth = (await page.getByTestId('library-view').boundingBox())!.width;
      expect(tableWidth).toBeLessThanOrEqual(containerWidth);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(480);
      await page.screenshot({
        path: 'test-results/screenshots/library-480-light.png',
        fullPage: true,
      });
      await page.setViewportSize({ width: 1440, height: 900 });

      // Datasets in browser mode: import from a file is off, and says what to run instead.
      await page.getByRole('link', { name: 'Datasets' }).click();
      await expect.poll(() => page.getByTestId('cifar-import').isDisabled(), POLL).toBe(true);
      await expect
        .poll(() => page.getByTestId('import-command').textContent())
        .toBe('bnlab data import <path-to-cifar-10-binary.tar.gz>');
      await viewScreenshots(page, 'datasets');

      // The custom form starts from the chosen preset and scale: ResNet-20 quick is width 0.5, lr 0.02.
      await page.getByRole('link', { name: 'New experiment' }).first().click();
      await page.getByLabel('Preset', { exact: true }).selectOption('bn-resnet20');
      await viewScreenshots(page, 'new-experiment-preset');
      await page.getByTestId('mode-custom').check();
      await expect
        .poll(() => page.getByTestId('custom-source').textContent())
        .toContain('bn-resnet20 (quick)');
      expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.02');
      expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('3');
      expect(await page.getByLabel('Train subset (images)').inputValue()).toBe('4000');
      expect(await page.getByLabel('Variant 1 width').inputValue()).toBe('0.5');
      expect(await page.getByLabel('Variant 2 width').inputValue()).toBe('0.5');
      expect(await page.getByLabel('Variant 1 architecture').inputValue()).toBe('resnet20');
      await viewScreenshots(page, 'new-experiment-custom');

      expect(errors.filter((e) => !e.includes('WebSocket'))).toEqual([]);
    });
  });
});
