import { describe, expect, it } from 'vitest';
import {
  gpuDeviceAbsent,
  selectTrainerBackend,
} from '../../../../../main/trainer/backends/select-trainer.js';

/** A fake /dev listing: folder → entries. */
const devices =
  (tree: Record<string, string[]>) =>
  (dir: string): string[] =>
    tree[dir] ?? [];

describe('auto looks for a hardware GPU adapter only where a GPU can exist', () => {
  it('skips the browser engine on Linux without a GPU device node, saying why', () => {
    const why = gpuDeviceAbsent('linux', devices({ '/dev': ['null', 'tty0', 'nvidiactl'] }));
    expect(why).toMatch(/no GPU device on this machine/);
  });

  it('probes where a DRM render node, an NVIDIA device or WSL’s dxg exists', () => {
    expect(gpuDeviceAbsent('linux', devices({ '/dev/dri': ['card0', 'renderD128'] }))).toBeNull();
    expect(gpuDeviceAbsent('linux', devices({ '/dev': ['nvidia0', 'nvidiactl'] }))).toBeNull();
    expect(gpuDeviceAbsent('linux', devices({ '/dev': ['dxg'] }))).toBeNull();
  });

  it('always probes on macOS and Windows, whose GPUs have no device nodes', () => {
    expect(gpuDeviceAbsent('darwin', devices({}))).toBeNull();
    expect(gpuDeviceAbsent('win32', devices({}))).toBeNull();
  });
});

describe('BNLAB_GPU_ADAPTER', () => {
  it('refuses a value other than hardware, software or any, naming it, before any browser starts', async () => {
    for (const backend of ['webgpu', 'webgl'] as const)
      await expect(selectTrainerBackend(backend, { BNLAB_GPU_ADAPTER: 'fast' })).rejects.toThrow(
        'BNLAB_GPU_ADAPTER=fast: expected hardware, software or any',
      );
  });
});
