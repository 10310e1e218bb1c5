/** The library row of an experiment: its record rolled up with its runs. */
import { judgeRecord } from '../api/learning.js';
import type { ExperimentRecord, ExperimentSummary, RunRecord, RunStatus } from '../api/records.js';

/** Summarises an experiment; `runs` are the experiment's runs (others are ignored). */
export function summarizeExperiment(
  experiment: ExperimentRecord,
  runs: readonly RunRecord[],
): ExperimentSummary {
  const statusCounts: Partial<Record<RunStatus, number>> = {};
  for (const run of runs) statusCounts[run.status] = (statusCounts[run.status] ?? 0) + 1;
  const accuracies = runs.map((r) => r.bestValAccuracy).filter((a): a is number => a !== null);
  const backends = [...new Set(runs.flatMap((r) => (r.backend ? [r.backend.name] : [])))];
  return {
    id: experiment.id,
    name: experiment.name,
    preset: experiment.preset,
    scale: experiment.scale,
    dataset: experiment.spec.dataset,
    createdAt: experiment.createdAt,
    variants: experiment.spec.variants.map((v) => v.name),
    runCount: runs.length,
    statusCounts,
    bestValAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : null,
    backend: backends.length > 0 ? backends.join(', ') : null,
    notLearnedRuns: runs.filter((r) => judgeRecord(r)?.learned === false).length,
  };
}
