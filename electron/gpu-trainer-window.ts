/**
 * The desktop app's webgpu/webgl trainer: a hidden window that runs the GPU trainer bundle
 * (out/gpu-trainer/, the project's own model, train step, optimizer and probes on tfjs
 * webgpu/webgl). The trainer utility process stays the run driver; gpu-engine-relay.ts carries
 * its engine requests here over a MessagePort. The window has no Node and no way out.
 */
import path from 'node:path';
import { BrowserWindow, MessageChannelMain, type MessagePortMain } from 'electron';

/** Where the built bundle lies beside the built app (out/electron/ → out/gpu-trainer/). */
export const GPU_TRAINER_PAGE = path.join(import.meta.dirname, '..', 'gpu-trainer', 'index.html');
export const GPU_TRAINER_PRELOAD = path.join(import.meta.dirname, 'gpu-trainer-preload.cjs');

/** Checklist 3, 4, 2: sandboxed, context-isolated, no Node; never throttled while hidden. */
export function gpuTrainerWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    // A hidden window's timers and rAF are throttled by default: training would crawl.
    backgroundThrottling: false,
    spellcheck: false,
  };
}

interface CommandLine {
  appendSwitch(name: string, value?: string): void;
}

/**
 * WebGPU is behind a switch on Linux (Chromium ships it enabled on Windows and macOS). Must run
 * before the app is ready. `BNLAB_GPU_ADAPTER=software` puts WebGPU and WebGL on SwiftShader.
 */
export function enableGpuSwitches(
  commandLine: CommandLine,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (platform === 'linux') {
    commandLine.appendSwitch('enable-unsafe-webgpu');
    commandLine.appendSwitch('enable-features', 'Vulkan');
  }
  if (env.BNLAB_GPU_ADAPTER === 'software') {
    commandLine.appendSwitch('use-vulkan', 'swiftshader');
    commandLine.appendSwitch('use-webgpu-adapter', 'swiftshader');
    commandLine.appendSwitch('use-angle', 'swiftshader');
    commandLine.appendSwitch('enable-unsafe-swiftshader');
  }
}

/** A hidden trainer window and the main process's end of its engine port. */
export interface GpuTrainerWindow {
  port: MessagePortMain;
  /** Called once if the window's renderer dies (crash, GPU process lost, OOM kill). */
  onGone(listener: (why: string) => void): void;
  close(): void;
}

/** Opens a hidden trainer window and hands its page one end of a fresh MessageChannel. */
export function openGpuTrainerWindow(
  page: string = GPU_TRAINER_PAGE,
  preload: string = GPU_TRAINER_PRELOAD,
): GpuTrainerWindow {
  // The ports first: if they cannot be made, no window is left behind.
  const { port1, port2 } = new MessageChannelMain();
  const window = new BrowserWindow({
    show: false,
    paintWhenInitiallyHidden: false,
    webPreferences: gpuTrainerWebPreferences(preload),
  });
  const listeners: Array<(why: string) => void> = [];
  let gone: string | null = null;
  const goneWith = (why: string): void => {
    if (gone) return;
    gone = why;
    for (const listener of listeners) listener(why);
  };
  window.webContents.on('render-process-gone', (_event, details: { reason: string }) =>
    goneWith(`the GPU trainer window's renderer is gone (${details.reason})`),
  );
  window.on('closed', () => goneWith('the GPU trainer window was closed'));
  window.webContents.once('did-finish-load', () =>
    window.webContents.postMessage('bnlab:engine-port', null, [port2]),
  );
  void window
    .loadFile(page)
    .catch((error: unknown) => goneWith(`the GPU trainer page did not load: ${String(error)}`));
  port1.start();
  return {
    port: port1,
    onGone: (listener) => (gone ? listener(gone) : void listeners.push(listener)),
    close: () => {
      port1.close();
      if (!window.isDestroyed()) window.destroy();
    },
  };
}
