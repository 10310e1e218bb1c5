/**
 * The webgpu/webgl route without Electron (`bnlab run`, `bnlab serve`, tests): headless Chromium
 * through playwright-core runs the browser bundle (out/gpu-trainer/), and the trainer process
 * drives it as a remote tensor engine. Chromium is the engine Electron ships, so the desktop app
 * and the CLI run the same WGSL/ANGLE paths (DESIGN §3).
 *
 * Adapter policy: `hardware` launches Chromium with WebGPU enabled and refuses a software
 * adapter; `software` launches it on SwiftShader (the flags below); `any` tries hardware first.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterInfo, AdapterPolicy, GpuBackendName } from '../../api/engine-protocol.js';
import { BROWSER_STEP_TIMEOUT_MS, CHROMIUM_ARGS, findChromium } from '../../reports/chromium.js';
import { createRemoteEngine, type EngineCall, request } from '../engine/remote-engine.js';
import type { TensorEngine } from '../engine/types.js';

/** WebGPU and WebGL on a real GPU (Linux keeps WebGPU behind a flag). */
export const HARDWARE_GPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--ignore-gpu-blocklist',
];
/** WebGPU on SwiftShader's Vulkan, WebGL on ANGLE's SwiftShader: CPU rasterisers, for CI. */
export const SOFTWARE_GPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
// WebGPU needs a secure context: an https origin, answered from memory, never from a network.
const ORIGIN = 'https://bnlab-trainer.invalid';

/** An open tensor engine in a browser engine, and the adapter it runs on. */
export interface GpuSession {
  engine: TensorEngine;
  adapter: AdapterInfo;
  tfjsVersion: string;
  /** `chromium <version>` or `electron <version>`. */
  host: string;
  close(): Promise<void>;
}

/** The built bundle's folder; throws with the command that builds it when it is missing. */
export function gpuBundleDir(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const dir = path.join(root, 'out', 'gpu-trainer');
  if (!existsSync(path.join(dir, 'trainer.js')))
    throw new Error(`the GPU trainer bundle is missing (${dir}): run npm run build:gpu-trainer`);
  return dir;
}

/**
 * Opens `backend` in headless Chromium under `policy`; throws, with every attempt's reason, when
 * no acceptable adapter exists.
 */
export async function openChromiumEngine(
  backend: GpuBackendName,
  policy: AdapterPolicy,
): Promise<GpuSession> {
  const dir = gpuBundleDir();
  const executablePath = findChromium();
  const attempts: Array<'hardware' | 'software'> =
    policy === 'any' ? ['hardware', 'software'] : [policy];
  const why: string[] = [];
  for (const kind of attempts) {
    const session = await launch(executablePath, dir, backend, kind).catch((error: unknown) => {
      why.push(`${kind}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return null;
    });
    if (session) return session;
  }
  throw new Error(`${backend} is not available in Chromium (${why.join('; ')})`);
}

interface OpenPage {
  call: EngineCall;
  host: string;
  close(): Promise<void>;
}

/** Launches Chromium with the `kind` flags and loads the bundle into a page. */
async function startPage(
  executablePath: string,
  dir: string,
  kind: 'hardware' | 'software',
): Promise<OpenPage> {
  const { chromium } = await import('playwright-core');
  const base = CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu');
  const browser = await chromium.launch({
    executablePath,
    args: [...base, ...(kind === 'software' ? SOFTWARE_GPU_ARGS : HARDWARE_GPU_ARGS)],
    timeout: BROWSER_STEP_TIMEOUT_MS,
  });
  try {
    const page = await browser.newPage();
    let gone: string | null = null;
    page.on(
      'crash',
      () => (gone = 'the GPU trainer page crashed (GPU process lost or out of memory)'),
    );
    browser.on('disconnected', () => (gone ??= 'Chromium exited while training'));
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      const file = path.basename(url.pathname) || 'index.html';
      if (url.origin !== ORIGIN || !['index.html', 'trainer.js'].includes(file))
        return route.abort();
      await route.fulfill({
        contentType: file.endsWith('.js') ? 'text/javascript' : 'text/html',
        body: await readFile(path.join(dir, file)),
      });
    });
    // The bundle (tfjs and its GPU backends) is megabytes of script: slow to parse on a busy machine.
    await page.goto(`${ORIGIN}/index.html`, { timeout: BROWSER_STEP_TIMEOUT_MS });
    const call: EngineCall = async (req) => {
      if (gone) throw new Error(gone);
      try {
        return await page.evaluate(
          (r) =>
            (
              globalThis as unknown as { bnlabEngine: { handle(x: unknown): Promise<unknown> } }
            ).bnlabEngine.handle(r),
          req,
        );
      } catch (error) {
        throw new Error(gone ?? `GPU trainer page: ${(error as Error).message.split('\n')[0]}`);
      }
    };
    return { call, host: `chromium ${browser.version()}`, close: () => browser.close() };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

async function launch(
  executablePath: string,
  dir: string,
  backend: GpuBackendName,
  kind: 'hardware' | 'software',
): Promise<GpuSession> {
  const page = await startPage(executablePath, dir, kind);
  try {
    const opened = await request(page.call, { kind: 'open', backend });
    if (kind === 'hardware' && opened.adapter.software)
      throw new Error(`only a software adapter (${describeAdapter(opened.adapter)})`);
    return {
      engine: createRemoteEngine(page.call),
      adapter: opened.adapter,
      tfjsVersion: opened.tfjsVersion,
      host: page.host,
      close: () => page.close(),
    };
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}

/**
 * What `bnlab doctor` shows for webgpu and webgl under one set of Chromium flags: the adapter
 * each found, or why there is none. One browser for both backends.
 */
export async function probeChromium(
  kind: 'hardware' | 'software',
): Promise<Record<GpuBackendName, AdapterInfo | string>> {
  let page: OpenPage;
  try {
    page = await startPage(findChromium(), gpuBundleDir(), kind);
  } catch (error) {
    const why = (error as Error).message.split('\n')[0] ?? String(error);
    return { webgpu: why, webgl: why };
  }
  try {
    const result: Record<GpuBackendName, AdapterInfo | string> = { webgpu: '', webgl: '' };
    for (const backend of ['webgpu', 'webgl'] as const) {
      result[backend] = await request(page.call, { kind: 'open', backend }).then(
        (opened) => opened.adapter,
        (error: unknown) => (error as Error).message,
      );
    }
    return result;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** `google swiftshader (software)` — vendor, architecture, software or hardware. */
export function describeAdapter(a: AdapterInfo): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'unknown';
  return `${name} (${a.software ? 'software' : 'hardware'})`;
}
