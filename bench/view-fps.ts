/**
 * `npm run bench -- --view`: how smooth the experiment view stays while runs stream. A real lab
 * (fresh home) trains 8 tiny MNIST runs at once on wasm behind browser mode; headless Chromium
 * (/usr/bin/chromium or BNLAB_CHROMIUM) opens the experiment view at 1440×900 and, for
 * `seconds` once every run has per-batch points, counts animation frames (median frames per second over 1 s windows), long tasks
 * (PerformanceObserver 'longtask', the longest in ms) and how many per-batch points arrived.
 * Never part of the tests: the figures depend on the machine and its load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ExperimentSpec } from '../main/api/config.js';
import { callLab } from '../main/cli/call.js';
import { createLab } from '../main/lab/service.js';
import { CHROMIUM_ARGS } from '../main/reports/chromium.js';
import { startServer } from '../main/server/index.js';

export interface ViewBench {
  runs: number;
  seconds: number;
  medianFps: number;
  /** Longest long task (≥ 50 ms by definition), 0 when none. */
  longestTaskMs: number;
  longTasks: number;
  /** Per-batch points shown on the training-curve chart at the end. */
  batchPoints: number;
}

/** Trains 8 runs (2 variants × 4 seeds) and measures the view while they stream. */
export async function benchView(seconds = 30): Promise<ViewBench> {
  const home = mkdtempSync(path.join(tmpdir(), 'bnlab-view-bench-'));
  const lab = await createLab({ home, mode: 'browser', parallel: 8 });
  const server = await startServer({ lab, staticDir: path.resolve('out/renderer') });
  const browser = await chromium.launch({
    executablePath: process.env.BNLAB_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const spec = ExperimentSpec.parse({
      name: 'view-bench',
      dataset: 'mnist',
      seeds: 4,
      training: { epochs: 50, batchSize: 32, trainSubset: 2048, probeImages: 32 },
      variants: [
        { name: 'no-bn', width: 0.25 },
        { name: 'bn-before', width: 0.25, bn: 'before-activation' },
      ],
    });
    const { experiment, runs } = await callLab(lab, 'experiments.create', {
      spec,
      backend: 'wasm',
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}#/experiment/${encodeURIComponent(experiment.id)}`);
    await page.getByTestId('experiment-view').waitFor();
    // Wait until every run streams (has per-batch points on the training curve), then measure.
    const batchChart = page.getByTestId('batch-loss');
    const streaming = async () =>
      ((await batchChart.getAttribute('data-series')) ?? '')
        .split('; ')
        .filter((part) => part && !part.includes('(raw)')).length;
    const deadline = Date.now() + 600_000;
    while ((await streaming()) < runs.length) {
      if (Date.now() > deadline) throw new Error('the runs did not all stream within 10 minutes');
      await page.waitForTimeout(500);
    }
    // Runs in the page (a string: this project's Node typings have no DOM).
    const result = await page.evaluate<
      Pick<ViewBench, 'medianFps' | 'longestTaskMs' | 'longTasks'>
    >(`(async (ms) => {
      const frames = [];
      const tasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      const start = performance.now();
      await new Promise((resolve) => {
        const tick = (t) => {
          frames.push(t);
          if (t - start < ms) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      observer.disconnect();
      const perSecond = [];
      for (let s = 0; s < Math.floor(ms / 1000); s++)
        perSecond.push(frames.filter((t) => t >= start + s * 1000 && t < start + (s + 1) * 1000).length);
      perSecond.sort((a, b) => a - b);
      return {
        medianFps: perSecond[Math.floor(perSecond.length / 2)] ?? 0,
        longestTaskMs: Math.max(0, ...tasks),
        longTasks: tasks.length,
      };
    })(${seconds * 1000})`);
    const batchPoints = Number((await batchChart.getAttribute('data-point-count')) ?? '0');
    return { runs: runs.length, seconds, batchPoints, ...result };
  } finally {
    await browser.close();
    await server.close();
    await lab.close();
    rmSync(home, { recursive: true, force: true });
  }
}
