// Builds the browser bundle of the tensor engine (main/trainer/browser/entry.ts: the project's own
// model, train step, optimizer and probes on tfjs webgpu/webgl) into out/gpu-trainer/. Run by
// `npm run build:gpu-trainer` (and `prepare`); the Chromium route and the Electron trainer window
// load it. Tests rebuild it while other tests' Chromium pages load it, so every file is replaced
// atomically (written beside, then renamed): a reader sees the old file or the new one, never a
// truncated one.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'out', 'gpu-trainer');
await mkdir(outdir, { recursive: true });
const { outputFiles } = await build({
  write: false,
  entryPoints: [path.join(root, 'main', 'trainer', 'browser', 'entry.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  outfile: path.join(outdir, 'trainer.js'),
  logLevel: 'warning',
  // tfjs's union package names Node modules it never loads in a browser.
  external: ['fs', 'path', 'crypto', 'os', 'worker_threads', 'node-fetch', 'string_decoder'],
});
for (const file of outputFiles) await writeFileAtomic(file.path, file.contents);
// The page that hosts it: no network, only its own script (a CSP like the app's).
await writeFileAtomic(
  path.join(outdir, 'index.html'),
  `<!doctype html>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'">
<title>bnlab trainer</title>
<script src="trainer.js"></script>
`,
);
