/**
 * `bnlab doctor`'s webgpu/webgl rows: each backend on a hardware adapter (what `auto` may take)
 * and on SwiftShader (only when asked by name), from one Chromium launch per set of flags — or,
 * in the desktop app, from its own hidden trainer window (`trainerWindowRows`).
 */
import type { AdapterInfo, GpuBackendName } from '../../api/engine-protocol.js';
import type { BackendStatus } from '../../api/records.js';
import { describeAdapter, probeChromium } from '../browser/chromium-engine.js';

const PACKAGES: Record<GpuBackendName, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
};

/** Hardware rows first (in `auto` order), then the software rows. */
export async function probeGpuRows(): Promise<{
  hardware: BackendStatus[];
  software: BackendStatus[];
}> {
  const [hardware, software] = await Promise.all([
    probeChromium('hardware'),
    probeChromium('software'),
  ]);
  const backends = ['webgpu', 'webgl'] as const;
  return {
    hardware: backends.map((b) => hardwareRow(b, hardware[b])),
    software: backends.map((b) => softwareRow(b, software[b])),
  };
}

/**
 * The desktop app's rows, from what its hidden trainer window found (the adapter, or why none).
 * That window is where the app trains webgpu/webgl, whatever Chromium the system has or lacks.
 * Its Chromium switches are fixed for the app's life, so it has one adapter per backend: a
 * hardware one, or a software one (none found, or the app started with BNLAB_GPU_ADAPTER=software).
 */
export function trainerWindowRows(found: Record<GpuBackendName, AdapterInfo | string>): {
  hardware: BackendStatus[];
  software: BackendStatus[];
} {
  const backends = ['webgpu', 'webgl'] as const;
  return {
    hardware: backends.map((b) => hardwareRow(b, found[b])),
    software: backends.map((b) => {
      const seen = found[b];
      if (typeof seen === 'string' || seen.software) return softwareRow(b, seen);
      return {
        name: `${b} (software)`,
        package: PACKAGES[b],
        available: false,
        device: null,
        detail: `the app's trainer window has a hardware adapter (${describeAdapter(seen)}); start the app with BNLAB_GPU_ADAPTER=software for SwiftShader`,
      };
    }),
  };
}

function hardwareRow(backend: GpuBackendName, found: AdapterInfo | string): BackendStatus {
  const row = { name: `${backend} (hardware)`, package: PACKAGES[backend] };
  if (typeof found === 'string') return { ...row, available: false, device: null, detail: found };
  if (found.software)
    return {
      ...row,
      available: false,
      device: null,
      detail: `only a software adapter, ${describeAdapter(found)}: not for auto; --backend ${backend} uses it`,
    };
  return {
    ...row,
    available: true,
    device: 'gpu',
    detail: `${backend} on ${describeAdapter(found)}`,
  };
}

function softwareRow(backend: GpuBackendName, found: AdapterInfo | string): BackendStatus {
  const row = { name: `${backend} (software)`, package: PACKAGES[backend] };
  if (typeof found === 'string') return { ...row, available: false, device: null, detail: found };
  return {
    ...row,
    available: true,
    device: 'cpu',
    detail: `${backend} on ${describeAdapter(found)}: only when asked by name (--backend ${backend} where no hardware adapter exists; BNLAB_GPU_ADAPTER=software forces it); no faster than wasm`,
  };
}
