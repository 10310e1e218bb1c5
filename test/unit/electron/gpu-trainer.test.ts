/**
 * The desktop app's webgpu/webgl route with `electron` faked: the hidden trainer window's
 * settings, the engine relay between a trainer process and the window (validated both ways),
 * and a window crash ending the run as failed with a message that says so. The page side is the
 * real engine server on tfjs's cpu backend, in this process.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import '../../../main/trainer/gradients.js';
import { RunConfig } from '../../../main/api/config.js';
import type { AdapterInfo } from '../../../main/api/engine-protocol.js';
import type { TrainerEvent } from '../../../main/api/events.js';
import { createLab } from '../../../main/lab/service.js';
import { createEngineServer } from '../../../main/trainer/engine/engine-server.js';
import { createLocalEngine } from '../../../main/trainer/engine/local-engine.js';
import { createRemoteEngine, type EngineCall } from '../../../main/trainer/engine/remote-engine.js';
import type { TrainerProcess } from '../../../main/trainer/launcher.js';
import { trainRun } from '../../../main/trainer/train.js';
import { syntheticDataset } from '../../helpers/synthetic-data.js';
import { gpuRelayLauncher } from '../../../electron/gpu-engine-relay.js';
import { probeTrainerWindow, probeTrainerWindowRows } from '../../../electron/gpu-probe.js';
import { enableGpuSwitches, openGpuTrainerWindow } from '../../../electron/gpu-trainer-window.js';
import { FakeBrowserWindow } from './fake-electron.js';
import { FakeMessageChannelMain, type FakeMessagePort } from './fake-gpu-electron.js';

vi.mock('electron', async () => (await import('./fake-gpu-electron.js')).fakeGpuElectron);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SOFTWARE_ADAPTER = { vendor: 'test', architecture: 'cpu', description: '', software: true };

/** Opens a trainer window and serves its page end with a real engine server. */
function windowWithEngine(
  pageHook: (request: unknown) => boolean = () => true,
  adapter: Omit<AdapterInfo, 'backend'> = SOFTWARE_ADAPTER,
) {
  const win = openGpuTrainerWindow('/app/gpu-trainer/index.html', '/app/gpu-trainer-preload.cjs');
  const fake = FakeBrowserWindow.created.at(-1)!;
  const pagePort: FakeMessagePort = FakeMessageChannelMain.created.at(-1)!.port2;
  const handle = createEngineServer(createLocalEngine(), (backend) =>
    Promise.resolve({ adapter: { ...adapter, backend }, tfjsVersion: tf.version_core }),
  );
  const seen: unknown[] = [];
  pagePort.on('message', ({ data }: { data: unknown }) => {
    seen.push(data);
    if (pageHook(data)) void handle(data).then((reply) => pagePort.postMessage(reply));
  });
  return { win, fake, seen };
}

/** A trainer process stand-in: what it sends reaches the relay; replies come back to `call`. */
function fakeTrainer() {
  const toLab: Array<(message: unknown) => void> = [];
  const pending = new Map<number, (reply: unknown) => void>();
  const env: Array<Record<string, string> | undefined> = [];
  const child: TrainerProcess = {
    pid: 99,
    send: (message) => {
      const m = message as { kind: string; id: number; reply: unknown };
      if (m.kind === 'engine-reply') pending.get(m.id)?.(m.reply);
      return true;
    },
    onMessage: (listener) => void toLab.push(listener),
    onExit: () => undefined,
    onSpawnError: () => undefined,
    onStderr: () => undefined,
    kill: () => undefined,
  };
  let next = 0;
  const emit = (message: unknown) => toLab.forEach((l) => l(message));
  const call: EngineCall = (request) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      emit({ kind: 'engine-request', id, request });
    });
  return {
    child,
    env,
    emit,
    call,
    launcher: (o: { env?: Record<string, string> } = {}) => (env.push(o.env), child),
  };
}

beforeEach(() => {
  FakeBrowserWindow.created.length = 0;
  FakeMessageChannelMain.created.length = 0;
});

describe('the hidden GPU trainer window', () => {
  it('is hidden, sandboxed, context-isolated, without Node, and never throttled', () => {
    openGpuTrainerWindow('/app/gpu-trainer/index.html', '/app/gpu-trainer-preload.cjs');
    const fake = FakeBrowserWindow.created.at(-1)!;
    expect(fake.options).toMatchObject({
      show: false,
      webPreferences: {
        preload: '/app/gpu-trainer-preload.cjs',
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        backgroundThrottling: false,
      },
    });
    expect(fake.loadedUrl).toBe('file:///app/gpu-trainer/index.html');
    // Once loaded, its page gets the engine port, and only then.
    const postMessage = vi.fn();
    Object.assign(fake.webContents, { postMessage });
    fake.webContents.emit('did-finish-load');
    expect(postMessage).toHaveBeenCalledWith('bnlab:engine-port', null, [
      FakeMessageChannelMain.created.at(-1)!.port2,
    ]);
  });

  it('switches WebGPU on where Chromium needs it (Linux), and SwiftShader only when asked', () => {
    const linux = { appendSwitch: vi.fn() };
    enableGpuSwitches(linux, 'linux', {});
    expect(linux.appendSwitch.mock.calls).toEqual([
      ['enable-unsafe-webgpu'],
      ['enable-features', 'Vulkan'],
    ]);
    const mac = { appendSwitch: vi.fn() };
    enableGpuSwitches(mac, 'darwin', {});
    expect(mac.appendSwitch).not.toHaveBeenCalled();
    const ci = { appendSwitch: vi.fn() };
    enableGpuSwitches(ci, 'linux', { BNLAB_GPU_ADAPTER: 'software' });
    expect(ci.appendSwitch).toHaveBeenCalledWith('use-webgpu-adapter', 'swiftshader');
  });
});

describe('the engine relay', () => {
  it('routes engine requests to the window, validated, and the rest to the supervisor', async () => {
    const trainer = fakeTrainer();
    let page: ReturnType<typeof windowWithEngine> | null = null;
    const launch = gpuRelayLauncher(trainer.launcher, () => (page = windowWithEngine()).win);
    const supervised: unknown[] = [];
    launch({ env: { A: '1' } }).onMessage((m) => supervised.push(m));
    expect(trainer.env[0]).toEqual({ A: '1', BNLAB_GPU_ROUTE: 'parent' });

    const opened = await trainer.call({ kind: 'open', backend: 'webgpu' });
    expect(opened).toMatchObject({ kind: 'opened', adapter: { backend: 'webgpu' } });
    // A malformed request is answered with an error and never reaches the page.
    const bad = await trainer.call({ kind: 'fly' } as never);
    expect(bad).toMatchObject({ kind: 'error' });
    expect((bad as { message: string }).message).toMatch(/malformed engine request/);
    expect(page!.seen).toHaveLength(1);
    trainer.emit({ kind: 'log', time: 1, level: 'info', message: 'hello' });
    expect(supervised).toEqual([{ kind: 'log', time: 1, level: 'info', message: 'hello' }]);
  });

  it('closes the window when the trainer releases it (a refused adapter), and opens a fresh one on the next request', async () => {
    const trainer = fakeTrainer();
    const launch = gpuRelayLauncher(trainer.launcher, () => windowWithEngine().win);
    const supervised: unknown[] = [];
    launch({}).onMessage((m) => supervised.push(m));
    expect(await trainer.call({ kind: 'open', backend: 'webgpu' })).toMatchObject({
      kind: 'opened',
    });
    const first = FakeBrowserWindow.created[0]!;
    expect(first.destroy).not.toHaveBeenCalled();
    trainer.emit({ kind: 'engine-release' });
    expect(first.destroy).toHaveBeenCalled();
    // The released window's `closed` does not fail the trainer's next window.
    first.emit('closed');
    expect(await trainer.call({ kind: 'open', backend: 'webgl' })).toMatchObject({
      kind: 'opened',
      adapter: { backend: 'webgl' },
    });
    expect(FakeBrowserWindow.created).toHaveLength(2);
    expect(supervised).toEqual([]);
  });

  it('ends the run as failed, saying the window crashed, when its renderer dies mid-run', async () => {
    const trainer = fakeTrainer();
    let steps = 0;
    let fake: FakeBrowserWindow | null = null;
    const launch = gpuRelayLauncher(trainer.launcher, () => {
      const page = windowWithEngine((request) => {
        if ((request as { kind: string }).kind !== 'step' || ++steps < 3) return true;
        // The third step never answers: the renderer dies instead.
        fake?.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
        return false;
      });
      fake = page.fake;
      return page.win;
    });
    launch({});
    const events: TrainerEvent[] = [];
    const terminal = await trainRun({
      config: RunConfig.parse({
        runId: 'r',
        experimentId: 'e',
        experimentName: 'e',
        dataset: 'mnist',
        seed: 1,
        backend: 'webgpu',
        variant: { name: 'v', width: 0.0625 },
        training: { epochs: 1, batchSize: 4, probeImages: 4 },
      }),
      dataset: syntheticDataset({ height: 8, width: 8, train: 16, validation: 4 }),
      emit: (e) => events.push(e),
      shouldStop: () => false,
      checkpointDir: '/nonexistent/checkpoints',
      resumeFromEpoch: 0,
      backend: {
        name: 'webgpu',
        device: 'gpu',
        package: 'p',
        version: 'v',
        flags: {},
        reason: 'test',
      },
      engine: createRemoteEngine(trainer.call),
    });
    expect(steps).toBe(3);
    expect(terminal).toMatchObject({
      kind: 'failed',
      epochsCompleted: 0,
      message: "the GPU trainer window's renderer is gone (crashed)",
    });
    expect(events.filter((e) => e.kind === 'failed')).toHaveLength(1);
  });
});

describe("the desktop app's webgpu/webgl rows (the status bar, the backend choice)", () => {
  const METAL = { vendor: 'apple', architecture: 'metal-3', description: '', software: false };

  it("come from the app's own trainer window, which is closed afterwards", async () => {
    const rows = await probeTrainerWindowRows(() => windowWithEngine(undefined, METAL).win);
    expect(rows.map((r) => [r.name, r.available, r.device])).toEqual([
      ['webgpu (hardware)', true, 'gpu'],
      ['webgl (hardware)', true, 'gpu'],
      ['webgpu (software)', false, null],
      ['webgl (software)', false, null],
    ]);
    expect(rows[0]!.detail).toBe('webgpu on apple metal-3 (hardware)');
    expect(rows[2]!.detail).toMatch(/hardware adapter .*BNLAB_GPU_ADAPTER=software/);
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(FakeBrowserWindow.created[0]!.destroy).toHaveBeenCalled();
  });

  it('offer a software adapter only by name, as the Chromium route does', async () => {
    const rows = await probeTrainerWindowRows(() => windowWithEngine().win);
    expect(rows.map((r) => [r.name, r.available])).toEqual([
      ['webgpu (hardware)', false],
      ['webgl (hardware)', false],
      ['webgpu (software)', true],
      ['webgl (software)', true],
    ]);
    expect(rows[0]!.detail).toMatch(/only a software adapter, test cpu \(software\): not for auto/);
  });

  it('say why when the window crashes, never answers, or cannot open', async () => {
    const crashed = await probeTrainerWindow(() => {
      const page = windowWithEngine(() => {
        page.fake.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
        return false;
      });
      return page.win;
    });
    const gone = "the GPU trainer window's renderer is gone (crashed)";
    expect(crashed).toEqual({ webgpu: gone, webgl: gone });

    const silent = await probeTrainerWindow(() => windowWithEngine(() => false).win, 50);
    expect(silent.webgpu).toBe('the GPU trainer window did not answer within 0.05 s');
    expect(silent.webgl).toBe(silent.webgpu);

    const none = await probeTrainerWindow(() => {
      throw new Error('no MessageChannelMain');
    });
    expect(none.webgpu).toBe('the GPU trainer window did not open: no MessageChannelMain');
  });

  it("make lab.info pick the window's hardware adapter for auto and say so", async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'bnlab-gpu-rows-'));
    try {
      const lab = await createLab({
        home,
        mode: 'electron',
        probeGpu: () => probeTrainerWindowRows(() => windowWithEngine(undefined, METAL).win),
      });
      try {
        const info = await lab.handlers['lab.info']({});
        expect(info.autoBackend).toBe('webgpu (hardware)');
        expect(info.autoBackendReason).toMatch(/^webgpu on apple metal-3 \(hardware\); not used: /);
      } finally {
        await lab.close();
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
