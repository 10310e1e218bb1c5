/**
 * The preload (sandboxed, context-isolated): exposes `window.lab`, a `LabBridge` over four IPC
 * channels. It holds no logic beyond unwrapping replies; the typed client is built in the
 * renderer from this transport, and every payload is validated by the main process.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  LAB_CALL_CHANNEL,
  LAB_MENU_CHANNEL,
  LAB_MENU_STATE_CHANNEL,
  LAB_PUSH_CHANNEL,
  type LabBridge,
} from './lab-bridge.js';

type IpcRendererLike = Pick<typeof ipcRenderer, 'invoke' | 'send' | 'on' | 'removeListener'>;

/** Builds the bridge over an `ipcRenderer` (injected for tests). */
export function createLabBridge(ipc: IpcRendererLike): LabBridge {
  return {
    async invoke(method, params) {
      const reply = (await ipc.invoke(LAB_CALL_CHANNEL, { method, params })) as
        { ok: true; result: unknown } | { ok: false; error: unknown };
      // A rejection with the plain ApiErrorBody survives contextBridge (an Error's extra fields
      // would not); toApiError in the renderer reads it.
      if (!reply.ok) throw reply.error;
      return reply.result;
    },
    subscribe(listener) {
      const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
        if (typeof name === 'string') listener(name, payload);
      };
      ipc.on(LAB_PUSH_CHANNEL, forward);
      return () => void ipc.removeListener(LAB_PUSH_CHANNEL, forward);
    },
    onMenu(listener) {
      const forward = (_event: IpcRendererEvent, action: unknown): void => listener(action);
      ipc.on(LAB_MENU_CHANNEL, forward);
      return () => void ipc.removeListener(LAB_MENU_CHANNEL, forward);
    },
    reportMenuState(handled) {
      ipc.send(LAB_MENU_STATE_CHANNEL, { handled: [...handled] });
    },
  };
}

// Checklist #3 (context isolation): only these functions cross into the page.
contextBridge.exposeInMainWorld('lab', createLabBridge(ipcRenderer));
