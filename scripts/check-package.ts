/**
 * `npm run test:package`: packages the built app (`npm run build` first) with electron-builder
 * `--dir` against a stub Electron dist — no download — and checks what a user would install:
 * size, what is inside and outside the archive, the fuses written into the executable, and that
 * the trainer trains from the archive's files alone. Exit 1 with one line per problem.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { RunConfig } from '../main/api/config.js';
import { extractAsar, folderSize, listAsar } from './package-files.js';
import {
  BuilderConfig,
  checkBuilderConfig,
  checkFuseWire,
  checkNodeModules,
  checkPackagedFiles,
  FUSE_SENTINEL,
  mb,
} from './package-rules.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Stock Electron's fuse wire (v1, 8 fuses): run-as-node, node options and inspect on. */
const STOCK_WIRE = '10110001';

/** A folder that passes for Electron's Linux dist: an executable carrying a stock fuse wire. */
function stubElectronDist(dir: string): string {
  const dist = path.join(dir, 'electron-dist');
  mkdirSync(path.join(dist, 'resources'), { recursive: true });
  const executable = path.join(dist, 'electron');
  writeFileSync(
    executable,
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stub Electron: no binary here"\nexit 1\n'),
      Buffer.from(FUSE_SENTINEL),
      Buffer.from([1, STOCK_WIRE.length]),
      Buffer.from(STOCK_WIRE),
    ]),
  );
  chmodSync(executable, 0o755);
  writeFileSync(path.join(dist, 'LICENSE'), 'stub\n');
  return dist;
}

/**
 * package.json's `dependencies` and, recursively, theirs (by name), as npm installed them under
 * `root`: what the app may load from node_modules. Optional dependencies are left out.
 */
function dependencyClosure(root: string): string[] {
  const dependenciesOf = (dir: string): string[] =>
    Object.keys(
      (
        JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          dependencies?: Record<string, string>;
        }
      ).dependencies ?? {},
    );
  const found = new Set<string>();
  const visit = (dir: string): void => {
    for (const name of dependenciesOf(dir)) {
      if (found.has(name)) continue;
      found.add(name);
      const nested = path.join(dir, 'node_modules', name);
      visit(existsSync(nested) ? nested : path.join(root, 'node_modules', name));
    }
  };
  visit(root);
  return [...found].sort();
}

function electronVersion(): string {
  const manifest = path.join(ROOT, 'node_modules', 'electron', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Runs electron-builder --dir; returns the unpacked app's folder. */
function buildUnpacked(work: string): string {
  const output = path.join(work, 'dist');
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      '--dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${stubElectronDist(work)}`,
      `-c.electronVersion=${electronVersion()}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return path.join(output, 'linux-unpacked');
}

/**
 * Trains one tiny MNIST epoch on wasm with the archive's trainer.js, copied out of app.asar into
 * a folder with no node_modules anywhere above it: what the app loads must all be in the archive.
 * A utility process is played by the trainer-entry test's host (stdin/stdout JSON lines).
 */
function trainFromArchive(archive: string, work: string): string[] {
  const app = path.join(work, 'extracted');
  extractAsar(archive, app);
  const home = path.join(work, 'home');
  const start = {
    kind: 'start',
    config: RunConfig.parse({
      runId: 'run-package',
      experimentId: 'exp-package',
      experimentName: 'package',
      dataset: 'mnist',
      seed: 1,
      backend: 'wasm',
      variant: { name: 'tiny', width: 0.125 },
      training: {
        epochs: 1,
        batchSize: 32,
        trainSubset: 64,
        validationSubset: 32,
        probeImages: 16,
      },
    }),
    runDir: path.join(home, 'runs', 'run-package'),
    home,
    resumeFromEpoch: 0,
  };
  const host = path.join(ROOT, 'test', 'unit', 'electron', 'fixtures', 'parent-port-host.ts');
  // tsx (for the TypeScript host) resolved here: the work folder has no node_modules.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const result = spawnSync(process.execPath, ['--import', tsx, host], {
    cwd: work,
    input: `${JSON.stringify(start)}\n`,
    env: { ...process.env, BNLAB_TRAINER_ENTRY: path.join(app, 'out', 'electron', 'trainer.js') },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const kinds = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { kind?: string }).kind);
  if (result.status === 0 && kinds.includes('completed')) return [];
  const why = result.stderr.trim().split('\n').slice(-3).join(' | ');
  return [
    `the archive's trainer did not train (exit ${String(result.status)}, events ${kinds.join(',') || 'none'}): ${why}`,
  ];
}

function main(): number {
  const config = BuilderConfig.parse(
    load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')),
  );
  const problems = checkBuilderConfig(config);
  const work = mkdtempSync(path.join(tmpdir(), 'bnlab-package-'));
  try {
    const unpacked = buildUnpacked(work);
    const archive = path.join(unpacked, 'resources', 'app.asar');
    const files = listAsar(archive);
    const total = folderSize(unpacked);
    problems.push(...checkPackagedFiles(files, total));
    problems.push(...checkNodeModules(files, dependencyClosure(ROOT)));
    problems.push(...checkFuseWire(readFileSync(path.join(unpacked, 'bn-dropout-lab'))));
    problems.push(...trainFromArchive(archive, work));
    const outside = folderSize(`${archive}.unpacked`);
    console.log(
      `unpacked app ${mb(total)} (app.asar ${mb(folderSize(path.dirname(archive)) - outside)}, ` +
        `app.asar.unpacked ${mb(outside)}), ${files.length} files`,
    );
  } finally {
    if (process.env.BNLAB_KEEP_PACKAGE === undefined)
      rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
  for (const problem of problems) console.error(`package check: ${problem}`);
  if (problems.length === 0)
    console.log('package check: size, contents, fuses and the archive trainer are as they must be');
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main();
