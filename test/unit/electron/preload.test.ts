import { describe, expect, it, vi } from 'vitest';
import { createLabClient, toApiError } from '../../../main/api/client.js';
import type { LabBridge } from '../../../electron/lab-bridge.js';

import { fakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

/** Loads the preload, as Electron would, and returns what it exposed as `window.lab`. */
async function exposedBridge(): Promise<LabBridge> {
  await import('../../../electron/preload.js');
  const call = fakeElectron.contextBridge.exposeInMainWorld.mock.calls[0];
  expect(call?.[0]).toBe('lab');
  return call?.[1] as LabBridge;
}

describe('preload: window.lab', () => {
  it('exposes only plain functions: invoke, subscribe, onMenu, reportMenuState', async () => {
    const bridge = await exposedBridge();
    expect(Object.keys(bridge).sort()).toEqual([
      'invoke',
      'onMenu',
      'reportMenuState',
      'subscribe',
    ]);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('is a transport the contract client works over: calls, errors and pushes', async () => {
    const bridge = await exposedBridge();
    const ipc = fakeElectron.ipcRenderer;
    ipc.invoke.mockResolvedValueOnce({ ok: true, result: { ok: true } });
    const client = createLabClient(bridge);
    await expect(client.call('runs.stop', { id: 'run-1' })).resolves.toEqual({ ok: true });
    expect(ipc.invoke).toHaveBeenCalledWith('lab:call', {
      method: 'runs.stop',
      params: { id: 'run-1' },
    });

    const error = {
      code: 'invalid-params',
      message: 'invalid params for runs.stop: id',
      issues: [{ path: 'id', message: 'x' }],
    };
    ipc.invoke.mockResolvedValueOnce({ ok: false, error });
    const failure = await client.call('runs.stop', { id: '' }).catch((e: unknown) => toApiError(e));
    expect(failure).toMatchObject({ code: 'invalid-params', issues: [{ path: 'id' }] });

    const seen: unknown[] = [];
    client.on('experiment.updated', (payload) => seen.push(payload));
    const forward = ipc.on.mock.calls.find(([channel]) => channel === 'lab:push')?.[1] as (
      ...args: unknown[]
    ) => void;
    forward({}, 'experiment.updated', { experimentId: 'e', deleted: true });
    forward({}, 'run.updated', { nonsense: true });
    expect(seen).toEqual([{ experimentId: 'e', deleted: true }]);
  });

  it('forwards menu actions as data, without the IPC event (the renderer parses them)', async () => {
    const bridge = await exposedBridge();
    const actions: unknown[] = [];
    bridge.onMenu((action) => actions.push(action));
    const forward = fakeElectron.ipcRenderer.on.mock.calls.findLast(
      ([channel]) => channel === 'lab:menu',
    )?.[1] as (...args: unknown[]) => void;
    forward({ sender: 'ipc internals' }, { kind: 'export-report' });
    expect(actions).toEqual([{ kind: 'export-report' }]);
  });

  it('sends the menu actions the page handles to the main process', async () => {
    const bridge = await exposedBridge();
    const handled = ['export-report'] as const;
    bridge.reportMenuState(handled);
    expect(fakeElectron.ipcRenderer.send).toHaveBeenLastCalledWith('lab:menu-state', {
      handled: ['export-report'],
    });
  });
});
