/**
 * Entry of a short-lived backend probe process (probe-isolated.ts forks it): probes the one
 * backend named in argv[2] — or, for `gpu`, webgpu and webgl in Chromium — sends the rows to the
 * parent and exits. A native package (and CUDA, which may claim most of a GPU's memory) is thus
 * loaded only here, never in the lab's own process.
 */
import type { BackendStatus } from '../../api/records.js';
import { probeGpuRows } from './gpu-rows.js';
import { LOCAL_PROBES, type LocalProbe, probeBackend } from './select.js';

async function main(which: string | undefined): Promise<BackendStatus[]> {
  if (which === 'gpu') {
    const rows = await probeGpuRows();
    return [...rows.hardware, ...rows.software];
  }
  if (LOCAL_PROBES.includes(which as LocalProbe)) return [await probeBackend(which as LocalProbe)];
  throw new Error(`unknown probe ${which ?? '(none)'}`);
}

main(process.argv[2]).then(
  (rows) => process.send?.(rows, undefined, undefined, () => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
