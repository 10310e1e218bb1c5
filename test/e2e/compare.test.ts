/**
 * Cross-experiment comparison in browser mode: two experiments trained by the real lab, one run of
 * each ticked in the Library, compared (curves of both, the setting that differs) and exported.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { ExperimentSpec } from '../../main/api/config.js';
import { callLab } from '../../main/cli/call.js';
import { tinyExperiment } from '../helpers/tiny-experiment.js';
import { viewScreenshots } from './helpers/screenshots.js';
import { chartSeries } from './helpers/charts.js';
import { closeBrowser, POLL, withLab } from './helpers/session.js';

afterAll(closeBrowser);

describe('browser mode: compare runs across experiments', () => {
  test('runs of two experiments open side by side, their differences listed, and export', async () => {
    await withLab(async ({ lab, server }, page, errors) => {
      // One BN run of the simple CNN, one of the deeper CNN: they differ in architecture only.
      for (const [name, architecture] of [
        ['tiny-simple', 'simple-cnn'],
        ['tiny-deeper', 'deeper-cnn'],
      ] as const) {
        const spec = ExperimentSpec.parse(
          tinyExperiment({ name, training: { ...tinyExperiment().training, epochs: 1 } }, [
            { name: 'bn-before', architecture, width: 0.0625, bn: 'before-activation' },
          ]),
        );
        await callLab(lab, 'experiments.create', { spec, backend: 'wasm' });
      }
      await lab.idle();

      await page.goto(server.url);
      const compare = page.getByTestId('compare-selected');
      await expect.poll(() => compare.getAttribute('aria-disabled')).toBe('true');
      await page
        .getByRole('checkbox', { name: /^Compare tiny-simple · bn-before · seed \d+$/ })
        .check();
      await page
        .getByRole('checkbox', { name: /^Compare tiny-deeper · bn-before · seed \d+$/ })
        .check();
      await expect.poll(() => compare.textContent()).toContain('(2)');
      await compare.click();

      const view = page.getByTestId('compare-view');
      await view.waitFor();
      // Curves: both runs, each its own line (train and validation), every epoch there.
      for (const testid of ['compare-loss', 'compare-accuracy']) {
        await expect
          .poll(
            async () => [...(await chartSeries(page.getByTestId(testid))).entries()].sort(),
            POLL,
          )
          .toEqual([
            [expect.stringMatching(/^tiny-deeper · bn-before · seed \d+ train$/), 1],
            [expect.stringMatching(/^tiny-deeper · bn-before · seed \d+ validation$/), 1],
            [expect.stringMatching(/^tiny-simple · bn-before · seed \d+ train$/), 1],
            [expect.stringMatching(/^tiny-simple · bn-before · seed \d+ validation$/), 1],
          ]);
      }
      // The one setting that differs, per run, and what that means for the comparison.
      const architecture = page.locator(
        '[data-testid="compare-difference"][data-field="architecture"]',
      );
      await expect
        .poll(() => architecture.textContent())
        .toMatch(/simple-cnn.*deeper-cnn|deeper-cnn.*simple-cnn/);
      expect(await page.getByTestId('compare-difference').count()).toBe(1);
      const notes = page.getByTestId('compare-notes');
      expect(await notes.getAttribute('data-control')).toBe('controlled');
      expect(await notes.textContent()).toContain(
        'The runs differ in one setting only: architecture.',
      );
      expect(await notes.textContent()).toContain('nothing is averaged across experiments');
      await viewScreenshots(page, 'compare');
      await page.setViewportSize({ width: 1400, height: 900 });

      // Export: the browser downloads the comparison report, which names both runs.
      await page.getByLabel('Comparison report format').selectOption('html');
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: POLL.timeout }),
        page.getByRole('button', { name: 'Export comparison' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^compare-[0-9a-f]{12}\.html$/);
      const html = await readFile(await download.path(), 'utf8');
      expect(html).toContain('Comparison of 2 runs from 2 experiments');
      expect(html).toMatch(/tiny-simple · bn-before · seed \d+/);
      expect(html).toMatch(/tiny-deeper · bn-before · seed \d+/);
      expect(errors).toEqual([]);
    });
    // Two real trainings first: minutes when the shared machine is busy.
  }, 900_000);
});
