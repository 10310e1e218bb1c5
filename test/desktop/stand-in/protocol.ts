/** Messages between the desktop test and the stand-in `electron` in the app process. */

export type DialogKind = 'open' | 'save' | 'message';

/** Test → app. */
export type ControlCommand =
  | { kind: 'dialog-answer'; id: number; result: unknown }
  /** Clicks the application-menu item at `path` (labels, `&` accelerators ignored). */
  | { kind: 'menu-click'; id: number; path: string[] };

/** App → test. */
export type ControlReport =
  | { kind: 'browser'; cdpUrl: string }
  | { kind: 'dialog'; id: number; dialog: DialogKind; options: unknown }
  | { kind: 'menu-clicked'; id: number; error: string | null }
  /** A Content-Security-Policy violation in any window (event or console report). */
  | { kind: 'csp-violation'; url: string; text: string }
  | { kind: 'console-error'; url: string; text: string };
