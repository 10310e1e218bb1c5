/**
 * What the preload exposes to the renderer as `window.lab`, and the IPC channel names behind it.
 * The renderer builds its typed client with `createLabClient(window.lab)` (main/api/client.ts):
 * the bridge is a `LabTransport` (plain functions, which contextBridge can pass), plus the
 * application menu's actions. Imports nothing at runtime, so the renderer may import its types.
 */
import type { LabTransport } from '../main/api/client.js';

/** Renderer → main: one method call, payload `{ method, params }`; reply `DispatchResult`. */
export const LAB_CALL_CHANNEL = 'lab:call';
/** Main → renderer: one push, arguments `(name, payload)`. */
export const LAB_PUSH_CHANNEL = 'lab:push';
/** Main → renderer: an application-menu action, argument `MenuAction`. */
export const LAB_MENU_CHANNEL = 'lab:menu';

/**
 * Menu actions the renderer acts on: `new-experiment` opens the New-experiment view,
 * `import-experiment` the import of an experiment file, `export-report` the export of the
 * experiment on screen. (Quit is handled by the main process.)
 */
export const MENU_ACTIONS = ['new-experiment', 'import-experiment', 'export-report'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

/** `window.lab` in the Electron app. `invoke` rejects with an `ApiErrorBody`. */
export interface LabBridge extends LabTransport {
  /** Receives application-menu actions; returns the unsubscribe function. */
  onMenu(listener: (action: MenuAction) => void): () => void;
}
