/** The CLI's smaller commands: list, show, stop, presets, doctor, data, report, serve. */
import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import Table from 'cli-table3';
import { ApiError, type CompareFormat, type ReportFormat } from '../api/contract.js';
import { judgeRecord } from '../api/learning.js';
import type { RunRecord } from '../api/records.js';
import { downloadCifar10, importCifar10 } from '../data/index.js';
import { listPresets } from '../lab/presets.js';
import { createLab } from '../lab/service.js';
import type { Lab, LabOptions } from '../lab/types.js';
import { serve } from '../server/index.js';
import { isExperimentId, isRunId } from '../store/ids.js';
import { callLab } from './call.js';
import { CliError, EXIT } from './errors.js';
import { resolveHome } from './home.js';
import { checkRedisUrl, unavailableIfUnreachable } from './worker-command.js';

async function withLab<T>(
  homeOption: string | undefined,
  use: (lab: Lab) => Promise<T>,
  extra: Partial<LabOptions> = {},
): Promise<T> {
  const lab = await createLab({ home: resolveHome(homeOption), mode: 'cli', ...extra });
  try {
    return await use(lab);
  } finally {
    await lab.close();
  }
}

/** null for a `not-found` error; any other error (a corrupt file) is the user's answer. */
function unlessNotFound(error: unknown): null {
  if (error instanceof ApiError && error.code === 'not-found') return null;
  throw error;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** The JSON row of `bnlab list --json`. */
export function listRow(run: RunRecord) {
  return {
    id: run.id,
    experiment: run.experimentId,
    variant: run.variant.name,
    seed: run.seed,
    status: run.status,
    epochsCompleted: run.epochsCompleted,
    bestValAccuracy: run.bestValAccuracy,
    backend: run.backend?.name ?? null,
  };
}

export function listRuns(home: string | undefined, options: { json?: boolean }) {
  return withLab(home, async (lab) => {
    const runs = await callLab(lab, 'runs.list', {});
    if (options.json) {
      process.stdout.write(`${JSON.stringify(runs.map(listRow), null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      process.stdout.write('No runs yet. Try: bnlab run bn-simple\n');
      return;
    }
    const table = new Table({
      head: ['run', 'status', 'epochs', 'best val acc', 'backend'],
      style: { head: [], border: [] },
    });
    for (const r of runs) {
      table.push([
        r.id,
        r.status,
        `${r.epochsCompleted}/${r.training.epochs}`,
        pct(r.bestValAccuracy),
        r.backend?.name ?? '—',
      ]);
    }
    process.stdout.write(`${table.toString()}\n`);
  });
}

export function showRun(home: string | undefined, id: string, options: { json?: boolean }) {
  return withLab(home, async (lab) => {
    // Looked up by id, not through the list: a run whose run.json is corrupt is skipped by the
    // list, but asked for by name it gets its own error, naming the file and field.
    const run = isRunId(id) ? await callLab(lab, 'runs.get', { id }).catch(unlessNotFound) : null;
    if (!run) {
      const experiment = isExperimentId(id)
        ? await callLab(lab, 'experiments.get', { id }).catch(unlessNotFound)
        : null;
      if (!experiment) throw new CliError(`no run or experiment with id "${id}" (see bnlab list)`);
      if (options.json)
        return void process.stdout.write(`${JSON.stringify(experiment, null, 2)}\n`);
      process.stdout.write(
        `Experiment ${experiment.experiment.id} (${experiment.experiment.spec.dataset})\n`,
      );
      for (const r of experiment.runs)
        process.stdout.write(
          `  ${r.id}  ${r.status}  best ${pct(r.bestValAccuracy)}${judgeRecord(r)?.learned === false ? '  DID NOT LEARN' : ''}\n`,
        );
      return;
    }
    if (options.json) return void process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    const verdict = judgeRecord(run);
    const lines = [
      `Run ${run.id}`,
      `  experiment  ${run.experimentId} (${run.experimentName})`,
      `  variant     ${run.variant.name}: ${run.variant.architecture}, BN ${run.variant.bn}, dropout ${run.variant.dropout}, ${run.variant.activation}, width ${run.variant.width}`,
      `  seed        ${run.seed}`,
      `  dataset     ${run.dataset}${run.datasetInfo ? ` (${run.datasetInfo.trainCount} train / ${run.datasetInfo.validationCount} validation)` : ''}`,
      `  status      ${run.status}${run.error ? ` — ${run.error}` : ''}`,
      ...(verdict && !verdict.learned ? [`  learned     no — ${verdict.explanation}`] : []),
      `  epochs      ${run.epochsCompleted}/${run.training.epochs}`,
      `  accuracy    best ${pct(run.bestValAccuracy)}${run.bestEpoch ? ` at epoch ${run.bestEpoch}` : ''}, last ${pct(run.lastValAccuracy)}`,
      `  backend     ${run.backend ? `${run.backend.name} (${run.backend.device}) — ${run.backend.reason}` : run.backendRequested}`,
      ...(run.worker ? [`  worker      ${run.worker}`] : []),
      `  model       ${run.model ? `${run.model.trainableParams.toLocaleString('en')} trainable parameters, ${run.model.layers.length} layers` : '—'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

export function stopRun(home: string | undefined, id: string) {
  return withLab(home, async (lab) => {
    const runs = await callLab(lab, 'runs.list', {});
    if (runs.some((r) => r.id === id)) {
      await callLab(lab, 'runs.stop', { id });
    } else {
      await callLab(lab, 'experiments.stop', { id });
    }
    process.stdout.write(
      `Stop requested for ${id}; it can be resumed with bnlab resume <run-id>.\n`,
    );
  });
}

export function presets() {
  const table = new Table({
    head: ['preset', 'variants', 'question'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [16, 40, 50],
  });
  for (const p of listPresets()) table.push([p.id, p.variants.join(', '), p.question]);
  process.stdout.write(`${table.toString()}\n`);
  return Promise.resolve();
}

export function doctor(home: string | undefined) {
  return withLab(home, async (lab) => {
    const info = await callLab(lab, 'lab.info', {});
    const table = new Table({
      head: ['backend', 'package', 'available', 'why'],
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: [18, 30, 11, 70],
    });
    for (const b of info.backends)
      table.push([b.name, b.package, b.available ? `yes (${b.device})` : 'no', b.detail]);
    process.stdout.write(`${table.toString()}\n`);
    process.stdout.write(`auto → ${info.autoBackend}: ${info.autoBackendReason}\n\n`);
    const datasets = await callLab(lab, 'datasets.list', {});
    for (const d of datasets)
      process.stdout.write(`${d.name}: ${d.available ? 'available' : 'missing'} — ${d.detail}\n`);
    process.stdout.write(`lab home: ${info.home}\n`);
  });
}

export function dataList(home: string | undefined) {
  return withLab(home, async (lab) => {
    for (const d of await callLab(lab, 'datasets.list', {})) {
      process.stdout.write(
        `${d.name}: ${d.available ? 'available' : 'missing'}${d.location ? ` at ${d.location}` : ''} — ${d.detail}\n`,
      );
    }
  });
}

export async function dataImport(homeOption: string | undefined, path: string) {
  const home = resolveHome(homeOption);
  const onTerminal = process.stderr.isTTY;
  let result: Awaited<ReturnType<typeof importCifar10>>;
  try {
    result = await importCifar10(resolve(path), home, (p) => {
      if (onTerminal) process.stderr.write(`\r${p.phase}…`);
    });
  } catch (error) {
    // A wrong, missing or damaged file is the user's input: exit 2, and nothing was imported.
    throw new CliError((error as Error).message, EXIT.invalid);
  } finally {
    if (onTerminal) process.stderr.write('\n');
  }
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(
    `CIFAR-10 imported into ${result.location} (${result.trainCount} training, ${result.testCount} test images)\n`,
  );
}

export async function dataDownload(homeOption: string | undefined, name: string) {
  if (name !== 'cifar10')
    throw new CliError(`only cifar10 can be downloaded (MNIST is built in), not "${name}"`);
  const home = resolveHome(homeOption);
  const bar = new SingleBar(
    {
      format: 'CIFAR-10 {bar} {percentage}% | {value}/{total} MB | {phase}',
      stream: process.stderr,
    },
    Presets.shades_grey,
  );
  let started = false;
  try {
    await downloadCifar10(home, (p) => {
      const mb = (b: number) => Math.round(b / 1e6);
      if (!started && p.totalBytes) {
        bar.start(mb(p.totalBytes), 0, { phase: p.phase });
        started = true;
      }
      if (started) bar.update(mb(p.receivedBytes), { phase: p.phase });
    });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.unavailable);
  } finally {
    if (started) bar.stop();
  }
  process.stdout.write(`CIFAR-10 downloaded into ${home}/datasets/cifar10\n`);
}

export function report(
  home: string | undefined,
  experimentId: string,
  options: { format: ReportFormat; out?: string },
) {
  const out = options.out ? resolve(options.out) : undefined;
  return withLab(
    home,
    async (lab) => {
      const result = await callLab(lab, 'reports.export', { experimentId, format: options.format });
      process.stdout.write(
        `${result.complete ? '' : 'Incomplete experiment (still running or interrupted): '}report written to ${result.path}\n`,
      );
    },
    out ? { hooks: { chooseReportPath: () => Promise.resolve(out) } } : {},
  );
}

/**
 * `bnlab compare <run-id>...`: runs of any experiments in one report (HTML or PDF), each run its
 * own line, the settings that differ listed, and a warning when more than one differs.
 */
export function compare(
  home: string | undefined,
  runIds: string[],
  options: { format: CompareFormat; out?: string },
) {
  const out = options.out ? resolve(options.out) : undefined;
  return withLab(
    home,
    async (lab) => {
      const comparison = await callLab(lab, 'compare.get', { runIds });
      const result = await callLab(lab, 'reports.compare', { runIds, format: options.format });
      for (const note of comparison.notes) process.stdout.write(`${note}\n`);
      process.stdout.write(
        `${result.complete ? '' : 'Incomplete (runs still training): '}comparison written to ${result.path}\n`,
      );
    },
    out ? { hooks: { chooseReportPath: () => Promise.resolve(out) } } : {},
  );
}

export async function serveCommand(
  home: string | undefined,
  options: {
    port?: number;
    host: string;
    open?: boolean;
    parallel?: number;
    redis?: string;
    /** The built renderer (tests); default `<repo>/out/renderer`. */
    staticDir?: string;
  },
) {
  if (options.redis) checkRedisUrl(options.redis);
  try {
    await unavailableIfUnreachable(() => serve({ home: resolveHome(home), ...options }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host}:${options.port ?? 0}`;
    if (code === 'EADDRINUSE') throw new CliError(`cannot listen on ${where}: the port is in use`);
    if (code === 'EACCES') throw new CliError(`cannot listen on ${where}: permission denied`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new CliError(`cannot listen on ${where}: no such address on this machine`);
    throw error;
  }
}
