/**
 * What the packaged desktop app must look like (scripts/check-package.ts applies these to a real
 * `electron-builder --dir` output; test/unit/scripts/package-rules.test.ts shows each rule firing).
 */
import { z } from 'zod';

/** @electron/fuses' marker: the fuse wire (version, length, one byte per fuse) follows it. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The only files that may live outside app.asar: native binaries and wasm. */
export const UNPACK_EXTENSIONS = ['node', 'so', 'dll', 'dylib', 'wasm'] as const;

/** The unpacked app (executable, app.asar, app.asar.unpacked) with the stub Electron: ≈ 20 MB. */
export const SIZE_LIMIT_BYTES = 40 * 1024 * 1024;

/** Electron security checklist #19; the order is the fuse wire's (v1). */
export const REQUIRED_FUSES = [
  ['runAsNode', false],
  ['enableCookieEncryption', true],
  ['enableNodeOptionsEnvironmentVariable', false],
  ['enableNodeCliInspectArguments', false],
  ['enableEmbeddedAsarIntegrityValidation', true],
  ['onlyLoadAppFromAsar', true],
] as const;

/** Files the app loads at run time, by their path inside the archive. */
export const REQUIRED_FILES = [
  'package.json',
  'out/electron/main.js',
  'out/electron/preload.cjs',
  'out/electron/trainer.js',
  'out/renderer/index.html',
  'out/electron/kernels.wasm',
  'out/electron/kernels-relaxed.wasm',
  // webgpu/webgl: the hidden trainer window's page, its script and its preload.
  'out/gpu-trainer/index.html',
  'out/gpu-trainer/trainer.js',
  'out/electron/gpu-trainer-preload.cjs',
  'out/electron/tfjs-backend-wasm.wasm',
  'out/electron/tfjs-backend-wasm-simd.wasm',
  'out/electron/tfjs-backend-wasm-threaded-simd.wasm',
  'out/electron/mnist/train-images-idx3-ubyte.gz',
  'out/electron/mnist/t10k-images-idx3-ubyte.gz',
  'node_modules/chart.js/dist/chart.umd.js',
  'assets/report/report-client.js',
] as const;

/** What must never ship: CLI-only and test-only packages, tests, TypeScript sources, maps. */
const FORBIDDEN: readonly (readonly [RegExp, string])[] = [
  [
    /(^|\/)node_modules\/(tsx|esbuild|@esbuild|playwright-core|vitest|typescript|electron)\//,
    'a CLI-only or development package',
  ],
  [/(^|\/)node_modules\/@tensorflow\//, 'tfjs from node_modules (the app bundles it)'],
  [/(^|\/)(test|tests|__tests__)\//, 'a test folder'],
  [/\.(test|spec)\.[cm]?[jt]s$/, 'a test file'],
  [/(?<!\.d)\.[cm]?ts$/, 'a TypeScript source'],
  [/\.map$/, 'a source map'],
];

/** The parts of electron-builder.yml these rules read (zod: the file is an input like any other). */
export const BuilderConfig = z.object({
  asarUnpack: z.union([z.string(), z.array(z.string())]).optional(),
  electronFuses: z.record(z.string(), z.boolean()).optional(),
});
export type BuilderConfig = z.infer<typeof BuilderConfig>;

/** A pattern unpacks only native/wasm files when it is `**\/*.ext` or `**\/*.{ext,…}` of those. */
function unpacksOnlyBinaries(pattern: string): boolean {
  const match = /^\*\*\/\*\.(?:\{([a-z,]+)\}|([a-z]+))$/.exec(pattern);
  const extensions = match ? (match[1] ?? match[2] ?? '').split(',') : [];
  const allowed: readonly string[] = UNPACK_EXTENSIONS;
  return extensions.length > 0 && extensions.every((ext) => allowed.includes(ext));
}

/** Problems with the builder configuration itself: asarUnpack wider than binaries, fuses unset. */
export function checkBuilderConfig(config: BuilderConfig): string[] {
  const problems: string[] = [];
  const unpack = config.asarUnpack === undefined ? [] : [config.asarUnpack].flat();
  for (const pattern of unpack.filter((p) => !unpacksOnlyBinaries(p)))
    problems.push(
      `asarUnpack "${pattern}" unpacks more than native binaries and wasm files (${UNPACK_EXTENSIONS.join(', ')})`,
    );
  for (const [fuse, wanted] of REQUIRED_FUSES) {
    const actual = config.electronFuses?.[fuse];
    if (actual !== wanted)
      problems.push(`electronFuses.${fuse} is ${String(actual)}, must be ${String(wanted)}`);
  }
  return problems;
}

/** One file of the package: its path inside the archive and whether it lives outside it. */
export interface PackagedFile {
  readonly path: string;
  readonly unpacked: boolean;
}

/** Problems with what was packaged: size, forbidden or missing files, files left outside. */
export function checkPackagedFiles(files: readonly PackagedFile[], totalBytes: number): string[] {
  const problems: string[] = [];
  if (totalBytes > SIZE_LIMIT_BYTES)
    problems.push(`the unpacked app is ${mb(totalBytes)}, over the ${mb(SIZE_LIMIT_BYTES)} limit`);
  const forbidden = new Map<string, string[]>();
  for (const file of files) {
    const rule = FORBIDDEN.find(([pattern]) => pattern.test(file.path));
    if (rule) forbidden.set(rule[1], [...(forbidden.get(rule[1]) ?? []), file.path]);
  }
  for (const [what, paths] of forbidden)
    problems.push(
      `ships ${what}: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`,
    );
  const present = new Set(files.map((file) => file.path));
  for (const required of REQUIRED_FILES.filter((file) => !present.has(file)))
    problems.push(`${required} is missing from the archive`);
  const extension = (file: string): string => file.slice(file.lastIndexOf('.') + 1);
  const allowed: readonly string[] = UNPACK_EXTENSIONS;
  const outside = files.filter((file) => file.unpacked && !allowed.includes(extension(file.path)));
  if (outside.length > 0)
    problems.push(
      `${outside.length} file(s) outside app.asar that are not native binaries or wasm, e.g. ${outside[0]?.path}`,
    );
  return problems;
}

/** The package a file under node_modules belongs to (`name` or `@scope/name`, the innermost one). */
export function packageOf(file: string): string | null {
  const at = file.lastIndexOf('node_modules/');
  if (at < 0 || (at > 0 && file[at - 1] !== '/')) return null;
  const [first, second] = file.slice(at + 'node_modules/'.length).split('/');
  if (first === undefined || second === undefined) return null;
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/**
 * Problems with the archive's node_modules: a package that is not in `allowed` (package.json's
 * `dependencies` and their own — not the optional native backends or their dependency trees,
 * which a checkout with internet installs), and an allowed package that did not ship.
 */
export function checkNodeModules(
  files: readonly PackagedFile[],
  allowed: readonly string[],
): string[] {
  const shipped = new Map<string, string[]>();
  for (const file of files) {
    const name = packageOf(file.path);
    if (name !== null) shipped.set(name, [...(shipped.get(name) ?? []), file.path]);
  }
  const extra = [...shipped.keys()].filter((name) => !allowed.includes(name)).sort();
  const problems = extra.map(
    (name) =>
      `ships ${name} (${shipped.get(name)?.[0]}), which is not one of package.json's dependencies or theirs (${allowed.join(', ')})`,
  );
  for (const name of allowed.filter((dependency) => !shipped.has(dependency)))
    problems.push(
      `${name} (package.json's dependencies or theirs) did not ship: add it to electron-builder.yml's files`,
    );
  return problems;
}

/** Problems with the fuse wire written into the packaged executable. */
export function checkFuseWire(executable: Buffer): string[] {
  const at = executable.indexOf(FUSE_SENTINEL);
  if (at < 0) return ['the packaged executable has no fuse wire'];
  const wire = executable.subarray(at + FUSE_SENTINEL.length + 2);
  return REQUIRED_FUSES.flatMap(([fuse, wanted], index) => {
    const state = String.fromCharCode(wire[index] ?? 0);
    return state === (wanted ? '1' : '0')
      ? []
      : [`fuse ${fuse} is "${state}" in the packaged executable, must be ${wanted ? 'on' : 'off'}`];
  });
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
