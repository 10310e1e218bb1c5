import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  BuilderConfig,
  checkBuilderConfig,
  checkFuseWire,
  checkNodeModules,
  checkPackagedFiles,
  FUSE_SENTINEL,
  REQUIRED_FILES,
  type PackagedFile,
} from '../../../scripts/package-rules.js';

const config = BuilderConfig.parse(
  load(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')),
);

const MB = 1024 * 1024;
const complete: PackagedFile[] = REQUIRED_FILES.map((path) => ({
  path,
  unpacked: path.endsWith('.wasm'),
}));

describe('electron-builder.yml', () => {
  it('unpacks only native binaries and wasm, and sets the security fuses', () => {
    expect(checkBuilderConfig(config)).toEqual([]);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('is refused when asarUnpack is widened again', () => {
    for (const wider of ['node_modules/@tensorflow/**', '**/*', '**/*.{wasm,js}', 'out/**']) {
      const problems = checkBuilderConfig({ ...config, asarUnpack: ['**/*.wasm', wider] });
      expect(problems).toEqual([expect.stringContaining(`asarUnpack "${wider}"`)]);
    }
  });

  it('is refused when a fuse is missing or left on', () => {
    const { runAsNode: _dropped, ...rest } = config.electronFuses ?? {};
    expect(checkBuilderConfig({ ...config, electronFuses: rest })).toEqual([
      'electronFuses.runAsNode is undefined, must be false',
    ]);
    expect(
      checkBuilderConfig({ ...config, electronFuses: { ...rest, runAsNode: true } }),
    ).toHaveLength(1);
  });
});

describe('the packaged app', () => {
  it('passes with the files the app loads, under the size limit', () => {
    expect(checkPackagedFiles(complete, 21 * MB)).toEqual([]);
  });

  it('is refused when it is too big, ships dev packages or tests, or lacks the trainer', () => {
    const files = [
      ...complete.filter((file) => file.path !== 'out/electron/trainer.js'),
      { path: 'node_modules/tsx/dist/cli.mjs', unpacked: false },
      { path: 'node_modules/@esbuild/linux-x64/bin/esbuild', unpacked: true },
      { path: 'node_modules/playwright-core/index.js', unpacked: false },
      { path: 'test/unit/main/cli.test.ts', unpacked: false },
    ];
    const problems = checkPackagedFiles(files, 353 * MB).join('\n');
    expect(problems).toContain('353.0 MB, over the 40.0 MB limit');
    expect(problems).toContain('node_modules/tsx/dist/cli.mjs');
    expect(problems).toContain('node_modules/playwright-core/index.js');
    expect(problems).toContain('test/unit/main/cli.test.ts');
    expect(problems).toContain('out/electron/trainer.js is missing');
    expect(problems).toContain('outside app.asar that are not native binaries or wasm');
  });

  it("ships from node_modules only package.json's dependencies and theirs", () => {
    const dependencies = ['@kurkle/color', 'chart.js'];
    const shipped = (...paths: string[]): PackagedFile[] => [
      ...complete,
      { path: 'node_modules/@kurkle/color/package.json', unpacked: false },
      ...paths.map((path) => ({ path, unpacked: path.endsWith('.node') })),
    ];
    expect(checkNodeModules(shipped(), dependencies)).toEqual([]);
    // A checkout with internet has tfjs-node installed: its dependency tree must not ride along.
    const problems = checkNodeModules(
      shipped(
        'node_modules/adm-zip/adm-zip.js',
        'node_modules/@mapbox/node-pre-gyp/lib/main.js',
        'node_modules/@mapbox/node-pre-gyp/node_modules/semver/semver.js',
      ),
      dependencies,
    );
    expect(problems).toEqual([
      expect.stringContaining('ships @mapbox/node-pre-gyp (node_modules/@mapbox/node-pre-gyp/lib'),
      expect.stringContaining('ships adm-zip (node_modules/adm-zip/adm-zip.js)'),
      expect.stringContaining('ships semver (node_modules/@mapbox/node-pre-gyp/node_modules/'),
    ]);
    // A dependency the builder's file list forgot.
    expect(checkNodeModules(complete, dependencies)).toEqual([
      "@kurkle/color (package.json's dependencies or theirs) did not ship: add it to electron-builder.yml's files",
    ]);
  });

  it('reads the fuses written into the executable', () => {
    const executable = (wire: string) =>
      Buffer.concat([
        Buffer.from('ELF…'),
        Buffer.from(FUSE_SENTINEL),
        Buffer.from([1, 8]),
        Buffer.from(wire),
      ]);
    expect(checkFuseWire(executable('01001101'))).toEqual([]);
    // Stock Electron: run-as-node, NODE_OPTIONS and --inspect on, no cookie encryption, no asar checks.
    expect(checkFuseWire(executable('10110001'))).toHaveLength(6);
    expect(checkFuseWire(Buffer.from('no wire'))).toEqual([
      'the packaged executable has no fuse wire',
    ]);
  });
});
