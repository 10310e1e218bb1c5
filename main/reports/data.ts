/**
 * What a report is made from: plain records and events, as the run store keeps them. The report
 * code never reads the store itself, so the CLI, the lab service and tests hand it the same shape.
 */
import { ReportFormat } from '../api/contract.js';
import type { EventOf, TrainerEvent } from '../api/events.js';
import type { ExperimentRecord, RunRecord } from '../api/records.js';

/**
 * Version of the JSON export's top-level shape (`schemaVersion` in the file). 2: the analysis is
 * paired per seed (`paired`, `claims`, `trainMode`) and counts runs that did not learn apart.
 */
export const REPORT_SCHEMA_VERSION = 2;

/** html, pdf, csv, json, png: the contract's `reports.export` formats. */
export const REPORT_FORMATS = ReportFormat.options;
export { ReportFormat };

/** One run as stored: its record and its event stream (in file order). */
export interface ReportRun {
  record: RunRecord;
  events: TrainerEvent[];
}

/** Everything a report shows. `generatedAt` is an ISO time; `appVersion` the app that wrote it. */
export interface ReportData {
  experiment: ExperimentRecord;
  runs: ReportRun[];
  /** Runs of the experiment whose run.json cannot be read, with why (file and field). */
  unreadable?: { id: string; message: string }[];
  generatedAt: string;
  appVersion: string;
}

export type EpochEvent = EventOf<'epoch'>;
export type ProbeEvent = EventOf<'probe'>;

/**
 * A run's epoch summaries, one per epoch in ascending order. A resumed run may repeat an epoch;
 * the later event wins because it describes the weights the run continued from.
 */
export function epochEvents(run: ReportRun): EpochEvent[] {
  const byEpoch = new Map<number, EpochEvent>();
  for (const event of run.events) if (event.kind === 'epoch') byEpoch.set(event.epoch, event);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/**
 * A run's epoch-end probes, one per epoch ascending (epoch 0 = before training, when taken).
 * Mid-epoch probes (`probeEveryBatches`) are left out: reports compare variants at epoch ends.
 */
export function epochProbes(run: ReportRun): ProbeEvent[] {
  const byEpoch = new Map<number, ProbeEvent>();
  for (const event of run.events) {
    if (event.kind !== 'probe') continue;
    if (event.epochEnd || event.epoch === 0) byEpoch.set(event.epoch, event);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** The runs of one variant, in the experiment's seed order. */
export function runsOfVariant(data: ReportData, variantName: string): ReportRun[] {
  return data.runs
    .filter((run) => run.record.variant.name === variantName)
    .sort((a, b) => a.record.seed - b.record.seed);
}
