/**
 * The backend chain of a trainer process (DESIGN §3), GPU backends included:
 *
 *   auto: tfjs-node-gpu on a CUDA device → webgpu on a hardware adapter → webgl on a hardware
 *         adapter → tfjs-node → wasm → cpu
 *
 * webgpu/webgl run in a tensor engine inside a browser engine: headless Chromium for the CLI and
 * browser mode, the desktop app's hidden trainer window when the Electron launcher set
 * `BNLAB_GPU_ROUTE=parent`. `auto` takes hardware adapters only; `--backend webgpu|webgl` names
 * the backend and so accepts a software adapter (SwiftShader) where no hardware one exists.
 * `BNLAB_GPU_ADAPTER=hardware|software|any` overrides that (`software` forces SwiftShader, as CI
 * does). Every choice says why the better ones were not used.
 */
import { readdirSync } from 'node:fs';
import type { BackendChoice } from '../../api/config.js';
import { AdapterPolicy, type GpuBackendName } from '../../api/engine-protocol.js';
import type { BackendInfo } from '../../api/events.js';
import {
  describeAdapter,
  type GpuSession,
  openChromiumEngine,
  probeChromium,
} from '../browser/chromium-engine.js';
import { openParentEngine } from '../engine/parent-channel.js';
import type { TensorEngine } from '../engine/types.js';
import { selectBackend, selectCudaBackend } from './select.js';

export interface TrainerBackend {
  info: BackendInfo;
  /** Where the tensors live; absent: in this process, on the backend tfjs is switched to. */
  engine?: TensorEngine;
  /** Ends the browser engine (if any). */
  close(): Promise<void>;
}

const PACKAGES: Record<GpuBackendName, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
};

/** Selects `choice` for a run; throws when it cannot be honoured (never a silent fallback). */
export async function selectTrainerBackend(
  choice: BackendChoice,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TrainerBackend> {
  const local = async (c: BackendChoice, passed: string[] = []): Promise<TrainerBackend> => {
    const info = await selectBackend(c);
    const why = passed.length > 0 ? `; not used: ${passed.join('; ')}` : '';
    return { info: { ...info, reason: `${info.reason}${why}` }, close: () => Promise.resolve() };
  };
  if (choice === 'webgpu' || choice === 'webgl') {
    const policy = adapterPolicy(env, 'any');
    return gpuBackend(await openGpu(choice, policy, env), policy);
  }
  if (choice !== 'auto') return local(choice);

  // 1. tfjs-node-gpu, but only on a real CUDA device (selectBackend('auto') says why not).
  const cuda = await selectCudaBackend();
  if (cuda.ok) return { info: cuda.info, close: () => Promise.resolve() };
  const passed: string[] = [];
  // 2–3. webgpu, webgl on a hardware adapter.
  const noDevice = gpuDeviceAbsent();
  if (noDevice !== null) passed.push(`webgpu, webgl: ${noDevice}`);
  else if (env.BNLAB_GPU_ADAPTER === undefined || adapterPolicy(env, 'hardware') !== 'software') {
    // One Chromium launch looks for both (a machine without a GPU pays it once per run start).
    const found = env.BNLAB_GPU_ROUTE === 'parent' ? null : await probeChromium('hardware');
    for (const backend of ['webgpu', 'webgl'] as const) {
      const seen = found?.[backend];
      if (seen !== undefined && (typeof seen === 'string' || seen.software)) {
        passed.push(
          `${backend}: ${typeof seen === 'string' ? seen : `only a software adapter (${describeAdapter(seen)})`}`,
        );
        continue;
      }
      try {
        return gpuBackend(await openGpu(backend, 'hardware', env), 'hardware', passed);
      } catch (error) {
        passed.push((error as Error).message);
      }
    }
  }
  // 4–6. the CPU backends of this process.
  return local('auto', passed);
}

/**
 * Why no hardware GPU adapter can exist here, or null when one may. Linux exposes every GPU as a
 * device node (DRM render nodes, NVIDIA's, WSL's /dev/dxg); without one, `auto` skips the browser
 * engine launch that would only find a software adapter. Other systems are always probed.
 */
export function gpuDeviceAbsent(
  platform: NodeJS.Platform = process.platform,
  list: (dir: string) => string[] = listDir,
): string | null {
  if (platform !== 'linux') return null;
  const nodes = [
    ...list('/dev/dri').filter((name) => name.startsWith('renderD')),
    ...list('/dev').filter((name) => /^nvidia\d+$/.test(name) || name === 'dxg'),
  ];
  return nodes.length > 0
    ? null
    : 'no GPU device on this machine (no /dev/dri/renderD*, /dev/nvidia*, /dev/dxg)';
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function adapterPolicy(env: NodeJS.ProcessEnv, fallback: AdapterPolicy): AdapterPolicy {
  const value = env.BNLAB_GPU_ADAPTER;
  if (value === undefined || value === '') return fallback;
  const parsed = AdapterPolicy.safeParse(value);
  if (!parsed.success)
    throw new Error(`BNLAB_GPU_ADAPTER=${value}: expected hardware, software or any`);
  return parsed.data;
}

function openGpu(
  backend: GpuBackendName,
  policy: AdapterPolicy,
  env: NodeJS.ProcessEnv,
): Promise<GpuSession> {
  return env.BNLAB_GPU_ROUTE === 'parent'
    ? openParentEngine(backend, policy)
    : openChromiumEngine(backend, policy);
}

function gpuBackend(
  session: GpuSession,
  policy: AdapterPolicy,
  passed: string[] = [],
): TrainerBackend {
  const { adapter } = session;
  const described = describeAdapter(adapter);
  const why = [
    adapter.software
      ? `${adapter.backend} on a software adapter, ${described}: asked for by name (${policy === 'software' ? 'BNLAB_GPU_ADAPTER=software' : `--backend ${adapter.backend}, no hardware adapter`}); no faster than the CPU backends`
      : `${adapter.backend} on a hardware adapter, ${described}`,
    ...(passed.length > 0 ? [`not used: ${passed.join('; ')}`] : []),
  ].join('; ');
  return {
    info: {
      name: adapter.backend,
      device: adapter.software ? 'cpu' : 'gpu',
      package: PACKAGES[adapter.backend],
      version: session.tfjsVersion,
      flags: {
        adapter: described,
        adapterVendor: adapter.vendor,
        adapterArchitecture: adapter.architecture,
        softwareAdapter: adapter.software,
        host: session.host,
      },
      reason: why,
    },
    engine: session.engine,
    close: () => session.close(),
  };
}
