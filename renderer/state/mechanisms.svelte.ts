/**
 * The experiment view's mechanism charts (issue 8 probes), derived from an open experiment's probe
 * timelines: each list holds only charts that have data, so a panel shows nothing for older runs.
 */
import type { LineDataset } from '../lib/chart-datasets.js';
import { ensembleDatasets, measureDatasets } from '../lib/mechanism-datasets.js';
import { ensembleSeries, layerMeasure, probeMeasure } from '../lib/mechanism-series.js';
import type { ExperimentState } from './experiment.svelte.js';

export interface LayerChart {
  layer: string;
  datasets: LineDataset[];
}

const line = { suffix: '', dashed: false, percent: false, band: false };

export class MechanismCharts {
  /** tanh/sigmoid: linear-band share (solid) vs saturated share (dashed), in %. */
  readonly linear: LayerChart[];
  /** BN γ (solid) and β (dashed), each with a band of ± its spread across the layer's units. */
  readonly bnParams: LayerChart[];
  /** Share of units whose weight gradient is exactly zero, in %. */
  readonly zeroGradient: LayerChart[];
  /** L2 norm of the layer's weight gradient on the probe batch. */
  readonly gradientNorm: LayerChart[];
  /** Probe accuracy with BN's moving statistics (solid) vs batch statistics (dashed), in %. */
  readonly bnModes: LineDataset[];
  /** Per dropout variant: MC-dropout accuracy against k with the weight-scaled reference. */
  readonly ensembles: { variant: string; epoch: number; datasets: LineDataset[] }[];

  constructor(exp: ExperimentState) {
    const perLayer = (build: (layer: string) => LineDataset[]): LayerChart[] =>
      exp.layers
        .map((layer) => ({ layer, datasets: build(layer) }))
        .filter((c) => c.datasets.length > 0);
    this.linear = $derived(
      perLayer((layer) => {
        const input = exp.probeInput;
        const linear = layerMeasure(input, layer, (l) => l.linearFraction);
        if (linear.length === 0) return [];
        return [
          ...measureDatasets(linear, { ...line, suffix: ' linear', percent: true }),
          ...measureDatasets(
            layerMeasure(input, layer, (l) =>
              l.linearFraction == null ? null : l.saturatedFraction,
            ),
            { ...line, suffix: ' saturated', dashed: true, percent: true },
          ),
        ];
      }),
    );
    this.bnParams = $derived(
      perLayer((layer) => [
        ...measureDatasets(
          layerMeasure(
            exp.probeInput,
            layer,
            (l) => l.bnGamma?.mean,
            (l) => l.bnGamma?.std,
          ),
          { ...line, suffix: ' γ', band: true },
        ),
        ...measureDatasets(
          layerMeasure(
            exp.probeInput,
            layer,
            (l) => l.bnBeta?.mean,
            (l) => l.bnBeta?.std,
          ),
          { ...line, suffix: ' β', dashed: true, band: true },
        ),
      ]),
    );
    this.zeroGradient = $derived(
      perLayer((layer) =>
        measureDatasets(
          layerMeasure(exp.probeInput, layer, (l) => l.zeroGradFraction),
          { ...line, percent: true },
        ),
      ),
    );
    this.gradientNorm = $derived(
      perLayer((layer) =>
        measureDatasets(
          layerMeasure(exp.probeInput, layer, (l) => l.gradNorm),
          line,
        ),
      ),
    );
    this.bnModes = $derived([
      ...measureDatasets(
        probeMeasure(exp.probeInput, (p) => p.bnModes?.movingStatsAccuracy),
        { ...line, suffix: ' moving stats', percent: true },
      ),
      ...measureDatasets(
        probeMeasure(exp.probeInput, (p) => p.bnModes?.batchStatsAccuracy),
        { ...line, suffix: ' batch stats', dashed: true, percent: true },
      ),
    ]);
    this.ensembles = $derived(
      ensembleSeries(exp.probeInput).map((s) => ({
        variant: s.variant,
        epoch: s.epoch,
        datasets: ensembleDatasets(s),
      })),
    );
  }
}
