/**
 * The desktop app's webgpu/webgl rows for `lab.info` (the status bar, the backend choice): asked
 * of a hidden trainer window like the ones runs train in, not of a system Chromium — a packaged
 * app on a laptop has none, yet trains on the GPU through its own window. The window opens,
 * answers `open` for each backend (the adapter, or why there is none) and closes.
 */
import { type AdapterInfo, EngineReply, type GpuBackendName } from '../main/api/engine-protocol.js';
import { formatIssues } from '../main/api/config.js';
import type { BackendStatus } from '../main/api/records.js';
import { trainerWindowRows } from '../main/trainer/backends/gpu-rows.js';
import type { GpuTrainerWindow } from './gpu-trainer-window.js';

// A hang guard, as for the other backend probes: the page's start and WGSL compiles can take a
// while on a loaded machine, but a window that never answers must not hold `lab.info` forever.
const PROBE_TIMEOUT_MS = 300_000;

/**
 * What a fresh trainer window finds for webgpu and webgl: the adapter, or why none (the reason
 * names the window's failure: no WebGPU, a crash, no answer within `timeoutMs`).
 */
export async function probeTrainerWindow(
  openWindow: () => GpuTrainerWindow,
  timeoutMs: number = PROBE_TIMEOUT_MS,
): Promise<Record<GpuBackendName, AdapterInfo | string>> {
  let window: GpuTrainerWindow;
  try {
    window = openWindow();
  } catch (error) {
    const why = `the GPU trainer window did not open: ${(error as Error).message}`;
    return { webgpu: why, webgl: why };
  }
  let gone: string | null = null;
  const waiting: Array<(answer: AdapterInfo | string) => void> = [];
  // After a crash or a silent page, every open answer is that reason (a late reply is ignored).
  const fail = (why: string): void => {
    gone ??= why;
    for (const answer of waiting.splice(0)) answer(gone);
  };
  window.onGone(fail);
  window.port.on('message', ({ data }: { data: unknown }) => {
    if (gone) return;
    const parsed = EngineReply.safeParse(data);
    waiting.shift()?.(
      !parsed.success
        ? `malformed reply from the GPU trainer window: ${formatIssues(parsed.error)}`
        : parsed.data.kind === 'opened'
          ? parsed.data.adapter
          : parsed.data.kind === 'error'
            ? parsed.data.message
            : `unexpected reply ${parsed.data.kind} to open`,
    );
  });
  const open = (backend: GpuBackendName): Promise<AdapterInfo | string> =>
    new Promise((resolve) => {
      if (gone) return resolve(gone);
      const timer = setTimeout(
        () => fail(`the GPU trainer window did not answer within ${timeoutMs / 1000} s`),
        timeoutMs,
      );
      waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      window.port.postMessage({ kind: 'open', backend });
    });
  try {
    // One at a time: the page answers its port's requests in order.
    const webgpu = await open('webgpu');
    const webgl = await open('webgl');
    return { webgpu, webgl };
  } finally {
    window.close();
  }
}

/** `lab.info`'s webgpu/webgl rows (hardware, then software) from a fresh trainer window. */
export async function probeTrainerWindowRows(
  openWindow: () => GpuTrainerWindow,
): Promise<BackendStatus[]> {
  const rows = trainerWindowRows(await probeTrainerWindow(openWindow));
  return [...rows.hardware, ...rows.software];
}
