/**
 * The Settings view in Chromium (browser mode, served on loopback as `bnlab serve` is by default)
 * against a real redis-server with a password: test connection says auth failed, reachable and
 * unreachable; saving "workers through Redis" switches the lab; after a reload the choice is
 * there and the password is not — the page shows `***`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLab } from '../../main/lab/service.js';
import { settingsReadOnlyReason } from '../../main/server/serve.js';
import { ExperimentSpec } from '../../main/api/config.js';
import { callLab } from '../../main/cli/call.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/queue-lab.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { tinyExperiment } from '../helpers/tiny-experiment.js';
import { launchChromium, recordPageErrors } from './helpers/browser.js';
import { viewScreenshots } from './helpers/screenshots.js';
import { startLabServer } from './helpers/lab-server.js';
import { POLL } from './helpers/session.js';

const PASSWORD = 'e2e-Secr3t';
let redis: TestRedis;
let worker: WorkerProcess;
beforeAll(async () => {
  redis = await startRedis({ password: PASSWORD });
  worker = await startWorkerProcess(redis.url);
}, 120_000);
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await redis?.stop();
});

describe('browser mode: the Redis setting', () => {
  test('enter a URL, test it, save, reload: persisted, password redacted', async () => {
    const browser = await launchChromium();
    const served = await startLabServer({
      lab: (home) =>
        createLab({
          home,
          mode: 'browser',
          parallel: 1,
          settings: { readOnlyReason: settingsReadOnlyReason('127.0.0.1') },
        }),
    });
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 1400, height: 900 } })
      ).newPage();
      const errors = recordPageErrors(page);
      await page.goto(served.server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await expect
        .poll(() => page.getByTestId('settings-active').textContent())
        .toMatch(/New runs train\s+on this machine/);

      const result = page.getByTestId('connection-result');
      const url = `redis://127.0.0.1:${redis.port}`;
      await page.getByRole('textbox', { name: 'Redis URL' }).fill(url);
      await page.getByTestId('settings-test').click();
      await expect.poll(() => result.getAttribute('data-status')).toBe('auth-failed');
      await expect.poll(() => result.textContent()).toContain('requires a password');

      await page.getByLabel('Password', { exact: true }).fill('not-it');
      await page.getByTestId('settings-test').click();
      await expect.poll(() => result.textContent()).toContain('refused the user name or password');
      expect(await result.textContent()).not.toContain('not-it');

      await page.getByRole('textbox', { name: 'Redis URL' }).fill('redis://127.0.0.1:1');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByTestId('settings-test').click();
      await expect.poll(() => result.getAttribute('data-status')).toBe('unreachable');
      await expect.poll(() => result.textContent()).toContain('Cannot reach Redis');

      await page.getByRole('textbox', { name: 'Redis URL' }).fill(url);
      await page.getByTestId('settings-test').click();
      await expect.poll(() => result.getAttribute('data-status')).toBe('reachable');
      await expect.poll(() => result.textContent()).toContain('1 worker(s) listening');
      await expect.poll(() => result.textContent()).toContain(`pid ${worker.pid})`);

      await page.getByRole('radio', { name: /Workers through Redis/ }).check();
      await page.getByTestId('settings-save').click();
      const shown = `redis://:***@127.0.0.1:${redis.port}`;
      await expect.poll(() => page.getByTestId('settings-saved').textContent()).toContain(shown);
      await viewScreenshots(page, 'settings');

      await page.reload();
      await expect
        .poll(() => page.getByTestId('settings-active').textContent())
        .toContain(`bnlab workers through ${shown}`);
      expect(await page.getByRole('radio', { name: /Workers through Redis/ }).isChecked()).toBe(
        true,
      );
      expect(await page.getByRole('textbox', { name: 'Redis URL' }).inputValue()).toBe(shown);
      expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
      expect(await page.content()).not.toContain(PASSWORD);
      // The status bar says where runs go now.
      await expect
        .poll(() => page.getByTestId('parallel-status').textContent())
        .toContain(`runs are queued on ${shown}`);
      // The saved password still works: `***` stands for it.
      await page.getByTestId('settings-test').click();
      await expect.poll(() => result.getAttribute('data-status')).toBe('reachable');

      // A run started now goes to the worker, and its page says so.
      const spec = ExperimentSpec.parse(
        tinyExperiment({ variants: [{ name: 'no-bn', width: 0.0625 }] }),
      );
      spec.training.epochs = 1;
      const { runs } = await callLab(served.lab, 'experiments.create', { spec, backend: 'wasm' });
      await served.lab.idle();
      await page.goto(`${served.server.url}#/run/${runs[0]!.id}`);
      await expect
        .poll(() => page.getByTestId('run-worker').textContent(), POLL)
        .toContain(`pid ${worker.pid})`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await served.close();
    }
  });
});
