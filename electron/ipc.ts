/**
 * The IPC adapter: one `lab:call` handler serving the lab's handlers through `dispatch()`, the
 * lab's pushes forwarded to the main window, and the renderer's `lab:menu-state` reports. Checklist #17: every message's sender is
 * checked (our `app://` page, the main window's main frame) and its payload schema-validated.
 */
import type { BrowserWindow, IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { describeIssues, formatIssues } from '../main/api/config.js';
import { dispatch, type DispatchResult } from '../main/api/dispatch.js';
import { MenuState } from '../main/api/menu-actions.js';
import type { Lab } from '../main/lab/types.js';
import {
  LAB_CALL_CHANNEL,
  LAB_MENU_CHANNEL,
  LAB_MENU_STATE_CHANNEL,
  LAB_PUSH_CHANNEL,
  type MenuAction,
  type MenuActionKind,
} from './lab-bridge.js';
import { isAppUrl } from './security.js';

/** The `lab:call` payload. */
export const IpcCall = z.strictObject({
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});

/**
 * Why a sender is refused, or null when it is the main window's main frame showing our page.
 * A refusal never reaches the lab.
 */
export function senderRefusal(
  event: Pick<IpcMainInvokeEvent | IpcMainEvent, 'sender' | 'senderFrame'>,
  window: BrowserWindow | null,
): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (!isAppUrl(frame.url)) return `the sender ${JSON.stringify(frame.url)} is not the app's page`;
  if (!window || window.isDestroyed() || event.sender !== window.webContents) {
    return 'the sender is not the main window';
  }
  // Compared by ids as well as identity: WebFrameMain wrappers are not promised to be unique.
  const main = window.webContents.mainFrame;
  const isMainFrame =
    frame === main ||
    (frame.parent === null &&
      frame.processId === main.processId &&
      frame.routingId === main.routingId);
  if (!isMainFrame) return 'the sender is a subframe, not the main frame';
  return null;
}

/** Answers one `lab:call`: sender check, payload parse, dispatch. Never throws. */
export async function handleLabCall(
  lab: Pick<Lab, 'handlers'>,
  window: BrowserWindow | null,
  event: IpcMainInvokeEvent,
  payload: unknown,
): Promise<DispatchResult> {
  const refusal = senderRefusal(event, window);
  if (refusal) {
    console.warn(`refused a ${LAB_CALL_CHANNEL} message: ${refusal}`);
    return { ok: false, error: { code: 'unavailable', message: `refused: ${refusal}` } };
  }
  const call = IpcCall.safeParse(payload);
  if (!call.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-params',
        message: `invalid ${LAB_CALL_CHANNEL} payload: ${formatIssues(call.error)}`,
        issues: describeIssues(call.error),
      },
    };
  }
  return dispatch(lab.handlers, call.data.method, call.data.params);
}

/**
 * Reads one `lab:menu-state` report: the action kinds the page handles now, or null (logged)
 * when the sender is refused or the payload is not a `MenuState`. Never throws.
 */
export function readMenuState(
  window: BrowserWindow | null,
  event: Pick<IpcMainEvent, 'sender' | 'senderFrame'>,
  payload: unknown,
): MenuActionKind[] | null {
  const refusal = senderRefusal(event, window);
  if (refusal) {
    console.warn(`refused a ${LAB_MENU_STATE_CHANNEL} message: ${refusal}`);
    return null;
  }
  const state = MenuState.safeParse(payload);
  if (!state.success) {
    console.warn(`refused a ${LAB_MENU_STATE_CHANNEL} message: ${formatIssues(state.error)}`);
    return null;
  }
  return state.data.handled;
}

export interface IpcAdapter {
  /** Sends an application-menu action to the renderer. */
  sendMenuAction(action: MenuAction): void;
  /** Removes the handler and stops forwarding pushes. */
  dispose(): void;
}

/**
 * Registers `lab:call`, forwards pushes to whichever window `getWindow` returns, and passes each
 * valid `lab:menu-state` report from that window to `onMenuState`.
 */
export function attachIpc(
  ipcMain: IpcMain,
  lab: Pick<Lab, 'handlers' | 'subscribe'>,
  getWindow: () => BrowserWindow | null,
  onMenuState: (handled: MenuActionKind[]) => void = () => undefined,
): IpcAdapter {
  ipcMain.handle(LAB_CALL_CHANNEL, (event, payload: unknown) =>
    handleLabCall(lab, getWindow(), event, payload),
  );
  const menuStateListener = (event: IpcMainEvent, payload: unknown): void => {
    const handled = readMenuState(getWindow(), event, payload);
    if (handled) onMenuState(handled);
  };
  ipcMain.on(LAB_MENU_STATE_CHANNEL, menuStateListener);
  const liveContents = () => {
    const window = getWindow();
    return window && !window.isDestroyed() && !window.webContents.isDestroyed()
      ? window.webContents
      : null;
  };
  const unsubscribe = lab.subscribe((push) =>
    liveContents()?.send(LAB_PUSH_CHANNEL, push.name, push.payload),
  );
  return {
    sendMenuAction: (action) => liveContents()?.send(LAB_MENU_CHANNEL, action),
    dispose() {
      ipcMain.removeHandler(LAB_CALL_CHANNEL);
      ipcMain.removeListener(LAB_MENU_STATE_CHANNEL, menuStateListener);
      unsubscribe();
    },
  };
}
