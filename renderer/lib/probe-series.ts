/**
 * Per-layer views of probe events across the variants of an experiment: which layers exist (in
 * model order), the histograms of one layer at one epoch, and dead / saturated fractions over
 * epochs. A variant's seeds are pooled: histograms summed, fractions averaged.
 */
import type { EventOf, Histogram, LayerProbe } from '../../main/api/index.js';
import { mergeHistograms } from './histogram-view.js';

export interface VariantProbes {
  variant: string;
  /** End-of-epoch probes of each seed's run. */
  probesPerRun: readonly (readonly EventOf<'probe'>[])[];
}

/** Layer names in first-seen model order across all variants. */
export function layerNames(variants: readonly VariantProbes[]): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    for (const probes of v.probesPerRun) {
      for (const layer of probes[0]?.layers ?? []) {
        if (!seen.has(layer.layer)) {
          seen.add(layer.layer);
          names.push(layer.layer);
        }
      }
    }
  }
  return names;
}

/** Epochs that have a probe in at least one run, ascending. */
export function probeEpochs(variants: readonly VariantProbes[]): number[] {
  const epochs = new Set<number>();
  for (const v of variants)
    for (const probes of v.probesPerRun) for (const p of probes) epochs.add(p.epoch);
  return [...epochs].sort((a, b) => a - b);
}

/** The probe of `layer` at the latest epoch ≤ `epoch` in one run (a stopped run keeps its last). */
function layerAtOrBefore(
  probes: readonly EventOf<'probe'>[],
  epoch: number,
  layer: string,
): { epoch: number; probe: LayerProbe } | undefined {
  for (let i = probes.length - 1; i >= 0; i--) {
    const p = probes[i];
    if (!p || p.epoch > epoch) continue;
    const probe = p.layers.find((l) => l.layer === layer);
    if (probe) return { epoch: p.epoch, probe };
  }
  return undefined;
}

/**
 * One variant's pooled pre/post histograms of a layer at an epoch. A run that has not reached
 * (or was stopped before) that epoch contributes its latest earlier one; `epoch` says which was
 * shown (the newest among the seeds). Null when no run has any.
 */
export function layerHistograms(
  v: VariantProbes,
  layer: string,
  epoch: number,
): { pre: Histogram; post: Histogram; activation: LayerProbe['activation']; epoch: number } | null {
  const found = v.probesPerRun
    .map((p) => layerAtOrBefore(p, epoch, layer))
    .filter((l) => l !== undefined);
  const pre = mergeHistograms(found.map((l) => l.probe.pre));
  const post = mergeHistograms(found.map((l) => l.probe.post));
  const first = found[0];
  if (!pre || !post || !first) return null;
  return {
    pre,
    post,
    activation: first.probe.activation,
    epoch: Math.max(...found.map((l) => l.epoch)),
  };
}

export interface HealthPoint {
  epoch: number;
  /** Fraction in [0, 1]: dead units (ReLU) or saturated values (tanh/sigmoid). */
  value: number;
}

export interface HealthSeries {
  variant: string;
  index: number;
  measure: 'dead' | 'saturated';
  points: HealthPoint[];
}

/** Dead (ReLU) or saturated (tanh/sigmoid) fraction of one layer over epochs, per variant. */
export function layerHealth(variants: readonly VariantProbes[], layer: string): HealthSeries[] {
  const out: HealthSeries[] = [];
  variants.forEach((v, index) => {
    const byEpoch = new Map<number, number[]>();
    let measure: HealthSeries['measure'] = 'dead';
    for (const probes of v.probesPerRun) {
      for (const p of probes) {
        const l = p.layers.find((x) => x.layer === layer);
        if (!l) continue;
        const value = l.deadFraction ?? l.saturatedFraction;
        if (value === null) continue;
        measure = l.deadFraction !== null ? 'dead' : 'saturated';
        const list = byEpoch.get(p.epoch) ?? [];
        list.push(value);
        byEpoch.set(p.epoch, list);
      }
    }
    if (byEpoch.size === 0) return;
    const points = [...byEpoch.entries()]
      .sort(([a], [b]) => a - b)
      .map(([epoch, values]) => ({
        epoch,
        value: values.reduce((s, x) => s + x, 0) / values.length,
      }));
    out.push({ variant: v.variant, index, measure, points });
  });
  return out;
}
