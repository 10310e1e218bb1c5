/**
 * A stub `Lab` for the server tests: two working handlers (`runs.stop` echoes, `reports.export`
 * writes a real file under `<home>/reports/`), every other method `unavailable`, and pushes the
 * test emits by hand.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, type LabHandlers, type LabPush } from '../../../../main/api/contract.js';
import type { Lab } from '../../../../main/lab/types.js';

export interface StubLab extends Pick<Lab, 'home' | 'handlers' | 'subscribe'> {
  emit(push: LabPush): void;
  calls: { method: string; params: unknown }[];
}

/** Builds the stub over a temporary lab home. */
export function createStubLab(home: string): StubLab {
  const listeners = new Set<(push: LabPush) => void>();
  const calls: StubLab['calls'] = [];
  const unavailable = (method: string) => () =>
    Promise.reject(new ApiError('unavailable', `${method} is not stubbed`));
  const handlers = new Proxy({} as LabHandlers, {
    get(_target, method: string) {
      if (method === 'runs.stop') {
        return (params: { id: string }) => {
          calls.push({ method, params });
          return Promise.resolve({ ok: true });
        };
      }
      if (method === 'reports.export') {
        return async (params: { experimentId: string; format: string }) => {
          calls.push({ method, params });
          const file = path.join(home, 'reports', `${params.experimentId}.${params.format}`);
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, `report of ${params.experimentId}`);
          return { format: params.format, path: file, downloadUrl: null, complete: true };
        };
      }
      return unavailable(method);
    },
  });
  return {
    home,
    handlers,
    calls,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(push) {
      for (const listener of listeners) listener(push);
    },
  };
}
