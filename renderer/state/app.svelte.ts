/**
 * App-wide state: the chosen connection, its health for the status bar, and `lab.info`.
 * `generation` increases after every reconnect so views reload what they may have missed.
 */
import type { LabClient, LabInfo } from '../../main/api/index.js';
import { assertNever } from '../../main/api/events.js';
import type { MenuAction } from '../../main/api/menu-actions.js';
import { pickConnection, type Connection } from '../api/pick-transport.js';
import type { ConnectionState } from '../api/ws-transport.js';
import { MenuEvents } from './menu-events.js';

export class AppState {
  connection: Connection;
  link = $state<ConnectionState>({ kind: 'connecting', attempt: 1 });
  info = $state<LabInfo | null>(null);
  infoError = $state<string | null>(null);
  generation = $state(0);
  /**
   * Application-menu actions, delivered once to the view that handles them; in the desktop app
   * the main process hears which kinds are handled, and greys out the items of the others.
   */
  readonly menu = new MenuEvents((handled) => {
    if (this.connection.kind === 'electron') this.connection.reportMenuState?.(handled);
  });

  readonly connected = $derived(this.link.kind === 'open');

  constructor(win: Window) {
    this.connection = pickConnection(win, {
      onState: (state) => {
        this.link = state;
        // Deferred: the Electron transport reports `open` before the constructor returns.
        if (state.kind === 'open') queueMicrotask(() => void this.loadInfo());
      },
      onReconnect: () => {
        this.generation += 1;
      },
    });
    if (this.connection.kind === 'electron') {
      this.connection.onMenu?.((action) => this.onMenu(win, action));
    }
  }

  /** New opens its view; import opens the Library, which imports the file; export stays put. */
  private onMenu(win: Window, action: MenuAction): void {
    switch (action.kind) {
      case 'new-experiment':
        win.location.hash = '#/new';
        return;
      case 'import-experiment':
        win.location.hash = '#/library';
        // Held until the Library has mounted (at once when it is already on screen).
        this.menu.dispatch(action, { hold: true });
        return;
      case 'export-report':
        // Only an experiment or a comparison on screen has a report; elsewhere the menu item is
        // disabled (reported through `menu`), so this only drops a click that raced a view change.
        this.menu.dispatch(action);
        return;
      default:
        assertNever(action);
    }
  }

  /** The lab client, or null when there is nothing to talk to (no token). */
  get client(): LabClient | null {
    return this.connection.kind === 'no-token' ? null : this.connection.client;
  }

  async loadInfo(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      this.info = await client.call('lab.info', {});
      this.infoError = null;
    } catch (error) {
      // A dropped connection is the status bar's "disconnected"; the last info stays shown.
      this.infoError = error instanceof Error ? error.message : String(error);
    }
  }
}
