/**
 * `bnlab`: the lab from a terminal. Every command takes `--home DIR` (default `BNLAB_HOME`, then
 * `~/.bnlab`). Exit codes are listed in errors.ts; a failure prints one line saying why.
 */
import { Command, CommanderError, Option } from 'commander';
import { BACKEND_CHOICES, DATASETS } from '../api/config.js';
import { CompareFormat, ReportFormat } from '../api/contract.js';
import { APP_VERSION } from '../lab/environment.js';
import {
  dataDownload,
  dataImport,
  dataList,
  doctor,
  listRuns,
  presets,
  compare,
  report,
  serveCommand,
  showRun,
  stopRun,
} from './commands.js';
import { CliError, describeFailure, EXIT } from './errors.js';
import {
  durationMsOption,
  epochsOption,
  parallelOption,
  portOption,
  seedsOption,
  subsetOption,
} from './options.js';
import { resumeCommand, runCommand } from './run-command.js';
import { workerCommand, type WorkerCommandOptions } from './worker-command.js';

const program = new Command('bnlab')
  .description('BN·Dropout Lab: train and compare Batch Normalization / Dropout variants of CNNs')
  .version(APP_VERSION)
  .option('--home <dir>', 'lab home (default: $BNLAB_HOME, then ~/.bnlab)')
  // Usage errors become one `bnlab: …` line and exit code 2 (errors.ts), like every other failure.
  .exitOverride()
  .configureOutput({ outputError: () => undefined });

const home = (): string | undefined => program.opts<{ home?: string }>().home;
const parallelFlag = () =>
  new Option(
    '--parallel <n>',
    'runs trained at once (default: $BNLAB_PARALLEL, else one per physical core as free memory allows)',
  ).argParser(parallelOption);
const backendOption = () =>
  new Option('--backend <name>', 'compute backend').choices(BACKEND_CHOICES).default('auto');

program
  .command('run')
  .description('train every variant × seed of a preset or an experiment file, then compare them')
  .argument('<experiment>', 'a preset id (see `bnlab presets`) or an experiment .json file')
  .addOption(
    new Option('--scale <scale>', 'preset scale').choices(['quick', 'full']).default('quick'),
  )
  .addOption(new Option('--dataset <name>', 'dataset').choices(DATASETS))
  .option('--epochs <n>', 'epochs per run', epochsOption)
  .option('--seeds <n>', 'seeds per variant', seedsOption)
  .option('--train-subset <n>', 'train on only this many images (a tiny try-out)', subsetOption)
  .option('--validation-subset <n>', 'validate on only this many images', subsetOption)
  .addOption(backendOption())
  .addOption(parallelFlag())
  .addOption(
    new Option('--report <format>', 'export a report when done').choices(ReportFormat.options),
  )
  .option('--redis <url>', 'queue the runs for `bnlab worker`s through this Redis')
  .action((experiment: string, options: Parameters<typeof runCommand>[2]) =>
    runCommand(home(), experiment, options),
  );

program
  .command('resume')
  .description('continue a stopped or interrupted run from its last checkpoint')
  .argument('<run-id>')
  .option('--redis <url>', 'queue the run for `bnlab worker`s through this Redis')
  .action((id: string, options: { redis?: string }) => resumeCommand(home(), id, options));

program
  .command('worker')
  .description("train runs from a lab's queue on this machine (BullMQ on Redis)")
  .requiredOption(
    '--redis <url>',
    'the Redis the lab queues on: redis[s]://[user:password@]host:port[/db]',
  )
  .option('--concurrency <n>', 'runs trained at once', parallelOption, 1)
  .addOption(backendOption().default('auto', 'auto: for runs that ask for auto'))
  .option(
    '--lock-duration <ms>',
    "how long a run's lock lasts without renewal (default 30000)",
    durationMsOption,
  )
  .option(
    '--stalled-interval <ms>',
    'how often workers look for runs whose worker died (default 30000)',
    durationMsOption,
  )
  .action((options: WorkerCommandOptions) => workerCommand(home(), options));

program
  .command('list')
  .description('list the runs')
  .option('--json', 'print a JSON array')
  .action((options: { json?: boolean }) => listRuns(home(), options));

program
  .command('show')
  .description('show a run (or an experiment and its runs)')
  .argument('<id>')
  .option('--json', 'print JSON')
  .action((id: string, options: { json?: boolean }) => showRun(home(), id, options));

program
  .command('stop')
  .description('stop a run or every run of an experiment (it can be resumed)')
  .argument('<id>')
  .action((id: string) => stopRun(home(), id));

program
  .command('presets')
  .description('list the built-in experiments')
  .action(() => presets());

program
  .command('doctor')
  .description('which compute backends exist here, and why the others do not')
  .action(() => doctor(home()));

const data = program
  .command('data')
  .description('datasets: MNIST is built in; CIFAR-10 is imported');
data
  .command('list')
  .description('show the datasets and where they are')
  .action(() => dataList(home()));
data
  .command('import')
  .description('import CIFAR-10 from cifar-10-binary.tar.gz or a folder of its .bin files')
  .argument('<path>')
  .action((path: string) => dataImport(home(), path));
data
  .command('download')
  .description('download CIFAR-10 (binary version) from its official site')
  .argument('<name>', 'cifar10')
  .action((name: string) => dataDownload(home(), name));

program
  .command('report')
  .description('export a report of an experiment')
  .argument('<experiment-id>')
  .addOption(
    new Option('--format <format>', 'report format').choices(ReportFormat.options).default('html'),
  )
  .option('--out <path>', 'output file (png: a folder)')
  .action((id: string, options: { format: ReportFormat; out?: string }) =>
    report(home(), id, options),
  );

program
  .command('compare')
  .description('compare runs of one or several experiments in one report (each run its own line)')
  .argument('<run-ids...>', 'two or more run ids (bnlab list)')
  .addOption(
    new Option('--format <format>', 'report format').choices(CompareFormat.options).default('html'),
  )
  .option('--out <path>', 'output file (default <home>/reports/compare-<hash>.<ext>)')
  .action((ids: string[], options: { format: CompareFormat; out?: string }) =>
    compare(home(), ids, options),
  );

program
  .command('serve')
  .description('browser mode: the app over HTTP + WebSocket on this machine')
  .option('--port <n>', 'port (default: any free one)', portOption)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--open', 'open the default browser')
  .addOption(parallelFlag())
  .option('--redis <url>', 'queue the runs for `bnlab worker`s through this Redis')
  .action((options: Parameters<typeof serveCommand>[1]) => serveCommand(home(), options));

try {
  await program.parseAsync(process.argv);
} catch (thrown) {
  // --help and --version end in a CommanderError with exit code 0.
  if (thrown instanceof CommanderError && thrown.exitCode === 0) process.exit(0);
  const error =
    thrown instanceof CommanderError
      ? new CliError(`${thrown.message.replace(/^error: /, '')} (see bnlab --help)`, EXIT.invalid)
      : thrown;
  const { code, message } = describeFailure(error);
  process.stderr.write(`bnlab: ${message}\n`);
  process.exitCode = code;
}
