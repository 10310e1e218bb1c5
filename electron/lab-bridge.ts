/**
 * What the preload exposes to the renderer as `window.lab`, and the IPC channel names behind it.
 * The renderer builds its typed client with `createLabClient(window.lab)` (main/api/client.ts):
 * the bridge is a `LabTransport` (plain functions, which contextBridge can pass), plus the
 * application menu's actions. Imports nothing at runtime, so the renderer may import its types.
 */
import type { LabTransport } from '../main/api/client.js';
import type { MenuAction, MenuActionKind } from '../main/api/menu-actions.js';

export type { MenuAction, MenuActionKind } from '../main/api/menu-actions.js';

/** Renderer → main: one method call, payload `{ method, params }`; reply `DispatchResult`. */
export const LAB_CALL_CHANNEL = 'lab:call';
/** Main → renderer: one push, arguments `(name, payload)`. */
export const LAB_PUSH_CHANNEL = 'lab:push';
/** Main → renderer: an application-menu action, argument `MenuAction`. */
export const LAB_MENU_CHANNEL = 'lab:menu';
/** Renderer → main, one-way: the menu actions the page handles now, argument `MenuState`. */
export const LAB_MENU_STATE_CHANNEL = 'lab:menu-state';

/** `window.lab` in the Electron app. `invoke` rejects with an `ApiErrorBody`. */
export interface LabBridge extends LabTransport {
  /**
   * Receives application-menu actions (main/api/menu-actions.ts `MenuAction`, unparsed: the
   * renderer parses them); returns the unsubscribe function.
   */
  onMenu(listener: (action: unknown) => void): () => void;
  /**
   * Tells the main process which menu action kinds the mounted views handle now, so that it
   * enables only the menu items that do something (main/api/menu-actions.ts `MenuState`).
   */
  reportMenuState(handled: readonly MenuActionKind[]): void;
}

/** What the menu asks of the main process; import becomes an action once a file is chosen. */
export type MenuCommand = MenuAction['kind'];
