/** Messages between the desktop test and the stand-in `electron` in the app process. */

export type DialogKind = 'open' | 'save' | 'message';

/** Test → app. */
export type ControlCommand =
  | { kind: 'dialog-answer'; id: number; result: unknown }
  /** Clicks the application-menu item at `path` (labels, `&` accelerators ignored). */
  | { kind: 'menu-click'; id: number; path: string[] }
  /** Presses the accelerator of the application-menu item that has it, e.g. `CmdOrCtrl+E`. */
  | { kind: 'menu-accelerator'; id: number; accelerator: string }
  /** Asks whether the application-menu item at `path` is enabled. */
  | { kind: 'menu-item'; id: number; path: string[] };

/** App → test. */
export type ControlReport =
  | { kind: 'browser'; cdpUrl: string }
  | { kind: 'dialog'; id: number; dialog: DialogKind; options: unknown }
  /** A click or accelerator was handled (a disabled item's does nothing, no error). */
  | { kind: 'menu-clicked'; id: number; error: string | null }
  | { kind: 'menu-item'; id: number; enabled: boolean | null; error: string | null }
  /** A Content-Security-Policy violation in any window (event or console report). */
  | { kind: 'csp-violation'; url: string; text: string }
  | { kind: 'console-error'; url: string; text: string };
