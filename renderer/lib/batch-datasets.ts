/**
 * Datasets of the live training curve: per visible run, its per-batch windows raw (faint) and
 * smoothed with the debiased EMA (the line), on the chosen x axis — as TensorBoard draws scalars.
 */
import { batchX, debiasedEma, type BatchAxis, type BatchPoint } from './batch-curve.js';
import type { LineDataset } from './chart-datasets.js';
import { variantColor, withAlpha } from './colors.js';

export interface RunBatches {
  runId: string;
  variant: string;
  /** The variant's position in the experiment (its colour). */
  index: number;
  seed: number;
  /** Epoch milliseconds the run started (the wall-time axis's 0). */
  startMs: number;
  points: readonly BatchPoint[];
}

export interface BatchOptions {
  metric: 'loss' | 'accuracy';
  axis: BatchAxis;
  /** EMA weight in [0, 1); 0 draws the raw windows only. */
  smoothing: number;
  /** Multiplies every value (100 shows accuracies in %). */
  scale?: number;
}

/** Label of a run's line on the training-curve charts. */
export const runLabel = (r: Pick<RunBatches, 'variant' | 'seed'>) => `${r.variant} seed ${r.seed}`;

/** Smoothed line and faint raw line per run; with smoothing 0 the raw line alone, at full colour. */
export function batchDatasets(runs: readonly RunBatches[], options: BatchOptions): LineDataset[] {
  const { metric, axis, smoothing, scale = 1 } = options;
  const out: LineDataset[] = [];
  for (const run of runs) {
    if (run.points.length === 0) continue;
    const color = variantColor(run.index);
    const xs = run.points.map((p) => batchX(p, axis, run.startMs));
    const raw = run.points.map((p) => (metric === 'loss' ? p.loss : p.accuracy) * scale);
    const label = runLabel(run);
    const common = { fill: false, parsing: false as const, pointRadius: 0, pointHitRadius: 4 };
    if (smoothing > 0) {
      const smooth = debiasedEma(raw, smoothing);
      out.push({
        ...common,
        label,
        data: xs.map((x, i) => ({ x, y: smooth[i] ?? NaN })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.75,
      });
    }
    out.push({
      ...common,
      label: smoothing > 0 ? `${label} (raw)` : label,
      ...(smoothing > 0 ? { group: label } : {}),
      data: xs.map((x, i) => ({ x, y: raw[i] ?? NaN })),
      borderColor: smoothing > 0 ? withAlpha(color, 0.25) : color,
      backgroundColor: color,
      borderWidth: smoothing > 0 ? 1 : 1.5,
    });
  }
  return out;
}
