import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../../../main/reports/csv.js';
import { epochEvents, epochProbes } from '../../../../main/reports/data.js';
import { buildReportData } from './fixtures.js';

type Row = Record<
  'experiment' | 'run' | 'variant' | 'seed' | 'epoch' | 'split' | 'metric' | 'value',
  string
>;

const rowsOf = (csv: string): Row[] => parse(csv, { columns: true, skip_empty_lines: true });

describe('CSV report', () => {
  it('parses back, in long format, to the stored epoch and probe numbers', () => {
    const data = buildReportData();
    const csv = renderCsv(data);
    expect(csv.split('\r\n')[0]).toBe('experiment,run,variant,seed,epoch,split,metric,value');
    const rows = rowsOf(csv);
    const value = (run: string, epoch: number, split: string, metric: string): number => {
      const found = rows.filter(
        (r) =>
          r.run === run && Number(r.epoch) === epoch && r.split === split && r.metric === metric,
      );
      expect(found, `${run} epoch ${epoch} ${split} ${metric}`).toHaveLength(1);
      return Number(found[0]!.value);
    };
    let checked = 0;
    for (const run of data.runs) {
      const id = run.record.id;
      for (const e of epochEvents(run)) {
        expect(value(id, e.epoch, 'train', 'loss')).toBe(e.trainLoss);
        expect(value(id, e.epoch, 'train', 'accuracy')).toBe(e.trainAccuracy);
        expect(value(id, e.epoch, 'validation', 'loss')).toBe(e.valLoss);
        expect(value(id, e.epoch, 'validation', 'accuracy')).toBe(e.valAccuracy);
        checked += 4;
      }
      for (const probe of epochProbes(run)) {
        for (const layer of probe.layers) {
          expect(value(id, probe.epoch, 'probe', `dead_fraction:${layer.layer}`)).toBe(
            layer.deadFraction,
          );
          expect(value(id, probe.epoch, 'probe', `pre_mean:${layer.layer}`)).toBe(
            layer.preStats.mean,
          );
          checked += 2;
        }
      }
    }
    expect(checked).toBe(4 * 4 * 4 + 4 * 5 * 3 * 2);
    const first = rows[0]!;
    expect(first).toMatchObject({ experiment: 'bn-simple-test', variant: 'no-bn', seed: '1' });
  });

  it('neutralises formula injection in text cells but keeps negative numbers as numbers', () => {
    const data = buildReportData({
      runId: (variant, seed) =>
        seed === 0 ? `=HYPERLINK("http://evil.example","x")` : `+${variant.name}`,
      layers: ['@SUM(A1:A9)', '-2+3', '\tcmd'],
    });
    const csv = renderCsv(data);
    const rows = rowsOf(csv);
    const runs = new Set(rows.map((r) => r.run));
    expect(runs).toContain(`'=HYPERLINK("http://evil.example","x")`);
    expect(runs).toContain(`'+no-bn`);
    for (const cell of rows.flatMap((r) => Object.values(r))) {
      expect(cell, 'no cell a spreadsheet would evaluate').not.toMatch(/^[=+@\t\r]/);
    }
    // Metric names start with the metric, so a hostile layer name cannot lead a cell.
    expect(rows.some((r) => r.metric === 'pre_mean:@SUM(A1:A9)')).toBe(true);
    const negative = rows.find((r) => r.metric.startsWith('pre_mean:') && r.value.startsWith('-'));
    expect(negative, 'the no-BN fixture has negative pre-activation means').toBeDefined();
    expect(Number(negative!.value)).toBeLessThan(0);
    // RFC 4180: the quote inside the cell is doubled inside a quoted field.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  });

  it('has rows for the inference-mode train metrics beside the running mean, and for the mechanism probes', () => {
    const data = buildReportData();
    // The other runs stand for logs recorded before these fields existed: strip them there…
    for (const other of data.runs.slice(1)) {
      other.events = other.events.map((e) => {
        if (e.kind === 'epoch') {
          const { trainEvalImages, trainRunningLoss, trainRunningAccuracy, ...old } = e;
          void [trainEvalImages, trainRunningLoss, trainRunningAccuracy];
          return old;
        }
        if (e.kind !== 'probe') return e;
        const { dropoutEnsemble, bnModes, ...old } = e;
        void [dropoutEnsemble, bnModes];
        return {
          ...old,
          layers: old.layers.map((l) => {
            const { linearFraction, bnGamma, bnBeta, gradNorm, zeroGradFraction, ...rest } = l;
            void [linearFraction, bnGamma, bnBeta, gradNorm, zeroGradFraction];
            return rest;
          }),
        };
      });
    }
    // …and set them on the first run's events.
    const run = data.runs[0]!;
    run.events = run.events.map((e) => {
      if (e.kind === 'epoch')
        return { ...e, trainEvalImages: 1000, trainRunningLoss: 0.75, trainRunningAccuracy: 0.5 };
      if (e.kind !== 'probe') return e;
      return {
        ...e,
        layers: e.layers.map((l) => ({
          ...l,
          linearFraction: 0.25,
          bnGamma: { mean: 1.5, std: 0.5, min: 1, max: 2 },
          bnBeta: null,
          gradNorm: 0.125,
          zeroGradFraction: 1,
        })),
        dropoutEnsemble: {
          weightScaledAccuracy: 0.9,
          samples: [1, 2, 4],
          thinnedAccuracy: [0.7, 0.8, 0.85],
        },
        bnModes: { movingStatsAccuracy: 0.9, batchStatsAccuracy: 0.6 },
      };
    });
    const rows = rowsOf(renderCsv(data)).filter((r) => r.run === run.record.id && r.epoch === '1');
    const valueOf = (split: string, metric: string) =>
      rows.filter((r) => r.split === split && r.metric === metric).map((r) => Number(r.value));
    expect(valueOf('train', 'running_loss')).toEqual([0.75]);
    expect(valueOf('train', 'running_accuracy')).toEqual([0.5]);
    expect(valueOf('train', 'eval_images')).toEqual([1000]);
    expect(valueOf('probe', 'linear_fraction:conv1')).toEqual([0.25]);
    expect(valueOf('probe', 'bn_gamma_mean:conv1')).toEqual([1.5]);
    expect(valueOf('probe', 'bn_gamma_std:conv1')).toEqual([0.5]);
    expect(valueOf('probe', 'bn_beta_mean:conv1')).toEqual([]);
    expect(valueOf('probe', 'grad_norm:dense1')).toEqual([0.125]);
    expect(valueOf('probe', 'zero_grad_fraction:dense1')).toEqual([1]);
    expect(valueOf('probe', 'weight_scaled_accuracy')).toEqual([0.9]);
    expect(valueOf('probe', 'mc_dropout_accuracy:k=1')).toEqual([0.7]);
    expect(valueOf('probe', 'mc_dropout_accuracy:k=4')).toEqual([0.85]);
    expect(valueOf('probe', 'bn_moving_stats_accuracy')).toEqual([0.9]);
    expect(valueOf('probe', 'bn_batch_stats_accuracy')).toEqual([0.6]);
    // A run whose log has none of them (recorded before they existed) gets no such rows.
    const other = rowsOf(renderCsv(data)).filter((r) => r.run !== run.record.id);
    expect(other.some((r) => /running_|linear_fraction|grad_norm|mc_dropout/.test(r.metric))).toBe(
      false,
    );
  });
});
