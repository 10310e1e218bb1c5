/**
 * The lab's API: every request/response method and every pushed event, declared once. The
 * Electron IPC adapter, the WebSocket adapter and direct calls (CLI, tests) all serve a
 * `LabHandlers` object; clients are built by `createLabClient` over any `LabTransport`.
 * Params are parsed by the server side, results by the client side: wire data is `unknown`
 * until parsed.
 */
import { z } from 'zod';
import { BackendChoice, DatasetName, ExperimentSpec, Scale, SubsetImages } from './config.js';
import { TrainerEvent } from './events.js';
import { isRunId } from './ids.js';
import {
  BackendStatus,
  DatasetStatus,
  ExperimentRecord,
  ExperimentSummary,
  PresetSummary,
  RunRecord,
} from './records.js';
import {
  ConnectionTestParams,
  ConnectionTestResult,
  SettingsSetParams,
  SettingsView,
} from './settings.js';

const Id = z.strictObject({ id: z.string().min(1).max(200) });
const Empty = z.strictObject({});
const Ok = z.strictObject({ ok: z.literal(true) });

export const ReportFormat = z.enum(['html', 'pdf', 'csv', 'json', 'png']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** Create an experiment from a preset (overrides optional) or a full spec, and queue its runs. */
export const CreateExperimentParams = z.union([
  z.strictObject({
    preset: z.string(),
    scale: Scale.default('quick'),
    dataset: DatasetName.optional(),
    epochs: z.int().min(1).max(1000).optional(),
    seeds: z.int().min(1).max(20).optional(),
    /** Fewer training / validation images than the scale's (a tiny try-out of a preset). */
    trainSubset: SubsetImages.optional(),
    validationSubset: SubsetImages.optional(),
    backend: BackendChoice.default('auto'),
  }),
  z.strictObject({ spec: ExperimentSpec, backend: BackendChoice.default('auto') }),
]);
export type CreateExperimentParams = z.input<typeof CreateExperimentParams>;

export const ValidationResult = z.union([
  z.strictObject({ ok: z.literal(true), spec: ExperimentSpec }),
  z.strictObject({
    ok: z.literal(false),
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  }),
]);

export const ExperimentDetail = z.strictObject({
  experiment: ExperimentRecord,
  runs: z.array(RunRecord),
});
export type ExperimentDetail = z.infer<typeof ExperimentDetail>;

export const LabInfo = z.strictObject({
  appVersion: z.string(),
  home: z.string(),
  /** Where the app runs: `electron`, `browser` (bnlab serve) or `cli`. */
  mode: z.enum(['electron', 'browser', 'cli']),
  backends: z.array(BackendStatus),
  /** The backend `auto` resolves to, and the sentence the status bar shows. */
  autoBackend: z.string(),
  autoBackendReason: z.string(),
  /** Runs trained at once, and why that many (the override, or the cores and memory). */
  parallel: z.number().int().positive(),
  parallelReason: z.string(),
});
export type LabInfo = z.infer<typeof LabInfo>;

export const ReportResult = z.strictObject({
  format: ReportFormat,
  /**
   * Where the main process wrote it (Electron, CLI), or null when delivered as a download — or,
   * with `downloadUrl` null too, when the user cancelled the save dialog (nothing was written).
   */
  path: z.string().nullable(),
  /** Browser mode: a same-origin URL (token included) to download it from. */
  downloadUrl: z.string().nullable(),
  complete: z.boolean(),
});
export type ReportResult = z.infer<typeof ReportResult>;

/** At most this many runs in one cross-experiment comparison (ten colours, two more that repeat). */
export const MAX_COMPARED_RUNS = 12;

/** Two to 12 distinct run ids, each well-formed (main/api/ids.ts) before any file is touched. */
export const ComparedRunIds = z
  .array(
    z.string().refine(isRunId, 'must be a run id (like 20261129-031500-bn-simple--bn-before--s1)'),
  )
  .min(2, 'pick at least two runs to compare')
  .max(MAX_COMPARED_RUNS, `compare at most ${MAX_COMPARED_RUNS} runs at once`)
  .refine((ids) => new Set(ids).size === ids.length, 'a run is listed twice');

/** A comparison exports as HTML or PDF (the experiment report's pipeline). */
export const CompareFormat = z.enum(['html', 'pdf']);
export type CompareFormat = z.infer<typeof CompareFormat>;

const SettingValue = z.union([z.string(), z.number()]);

/** Runs of any experiments side by side: who they are, and how their settings differ. */
export const Comparison = z.strictObject({
  runs: z.array(
    z.strictObject({
      run: RunRecord,
      /** "experiment · variant · seed N": how every chart and table names this run. */
      label: z.string(),
    }),
  ),
  /** Settings that differ, each with its value per run (in `runs` order). */
  differing: z.array(z.strictObject({ field: z.string(), values: z.array(SettingValue) })),
  shared: z.array(z.strictObject({ field: z.string(), value: SettingValue })),
  /** How many experiments the runs come from. */
  experiments: z.number().int().positive(),
  /** `controlled`: at most one setting differs (seeds aside); `uncontrolled`: more than one. */
  control: z.enum(['same-settings', 'controlled', 'uncontrolled']),
  /** Sentences that say what the comparison can and cannot show. */
  notes: z.array(z.string()),
});
export type Comparison = z.infer<typeof Comparison>;

/** method name → [params schema, result schema] */
export const methods = {
  'lab.info': [Empty, LabInfo],
  'presets.list': [Empty, z.array(PresetSummary)],
  'experiments.list': [Empty, z.array(ExperimentSummary)],
  'experiments.get': [Id, ExperimentDetail],
  'experiments.validate': [z.strictObject({ spec: z.unknown() }), ValidationResult],
  'experiments.create': [CreateExperimentParams, ExperimentDetail],
  'experiments.delete': [Id, Ok],
  'experiments.stop': [Id, Ok],
  'runs.list': [Empty, z.array(RunRecord)],
  'runs.get': [Id, RunRecord],
  'runs.events': [
    z.strictObject({
      id: z.string().min(1),
      /** Only these event kinds (e.g. ["epoch", "probe"]); all when absent. */
      kinds: z.array(z.string()).optional(),
      /**
       * At most this many `progress` events, thinned evenly with their windows merged
       * (main/store/progress-sample.ts); all when absent.
       */
      maxProgress: z.number().int().min(1).max(100_000).optional(),
    }),
    z.array(TrainerEvent),
  ],
  'runs.stop': [Id, Ok],
  'runs.resume': [Id, RunRecord],
  'runs.delete': [Id, Ok],
  'datasets.list': [Empty, z.array(DatasetStatus)],
  /** Starts the CIFAR-10 download; progress arrives as `dataset.progress` events. */
  'datasets.download': [z.strictObject({ name: z.literal('cifar10') }), Ok],
  /** Import CIFAR-10 from a file the main process chooses (Electron: native dialog). */
  'datasets.import': [z.strictObject({ name: z.literal('cifar10') }), DatasetStatus],
  'reports.export': [
    z.strictObject({ experimentId: z.string().min(1), format: ReportFormat }),
    ReportResult,
  ],
  /** Runs of one or several experiments, compared run by run (never averaged across experiments). */
  'compare.get': [z.strictObject({ runIds: ComparedRunIds }), Comparison],
  /** The comparison as a report file (`<home>/reports/compare-<hash>.<ext>`, or a save dialog). */
  'reports.compare': [
    z.strictObject({ runIds: ComparedRunIds, format: CompareFormat }),
    ReportResult,
  ],
  /** Where new runs train (main/api/settings.ts); the password is never returned. */
  'settings.get': [Empty, SettingsView],
  'settings.set': [SettingsSetParams, SettingsView],
  'settings.test': [ConnectionTestParams, ConnectionTestResult],
} as const satisfies Record<string, readonly [z.ZodType, z.ZodType]>;

export type MethodName = keyof typeof methods;
export type ParamsOf<M extends MethodName> = z.input<(typeof methods)[M][0]>;
export type ParsedParamsOf<M extends MethodName> = z.output<(typeof methods)[M][0]>;
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M][1]>;

/** Server side: one handler per method (a missing one is a compile error). */
export type LabHandlers = {
  [M in MethodName]: (params: ParsedParamsOf<M>) => Promise<ResultOf<M>>;
};

/** Pushed events, name → payload schema. `run.events` is batched (a few per second per run). */
export const pushes = {
  'run.events': z.strictObject({ runId: z.string(), events: z.array(TrainerEvent) }),
  'run.updated': z.strictObject({ run: RunRecord }),
  'experiment.updated': z.strictObject({ experimentId: z.string(), deleted: z.boolean() }),
  'dataset.progress': z.strictObject({
    name: DatasetName,
    phase: z.enum(['download', 'verify', 'extract', 'done', 'error']),
    receivedBytes: z.number().nonnegative(),
    totalBytes: z.number().nonnegative().nullable(),
    message: z.string().nullable(),
  }),
} as const satisfies Record<string, z.ZodType>;

export type PushName = keyof typeof pushes;
export type PushOf<P extends PushName> = z.output<(typeof pushes)[P]>;
export type LabPush = { [P in PushName]: { name: P; payload: PushOf<P> } }[PushName];

/** An error that crosses the transport: a stable code and a sentence for the user. */
export const ApiErrorBody = z.strictObject({
  code: z.enum(['invalid-params', 'not-found', 'conflict', 'unavailable', 'internal']),
  message: z.string(),
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
    readonly issues?: ApiErrorBody['issues'],
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toBody(): ApiErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}
