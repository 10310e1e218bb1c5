/**
 * App-wide state: the chosen connection, its health for the status bar, and `lab.info`.
 * `generation` increases after every reconnect so views reload what they may have missed.
 */
import type { LabClient, LabInfo } from '../../main/api/index.js';
import { pickConnection, type Connection, type MenuAction } from '../api/pick-transport.js';
import type { ConnectionState } from '../api/ws-transport.js';

export class AppState {
  connection: Connection;
  link = $state<ConnectionState>({ kind: 'connecting', attempt: 1 });
  info = $state<LabInfo | null>(null);
  infoError = $state<string | null>(null);
  generation = $state(0);
  /** The last application-menu request; `seq` changes on every one, so views can react. */
  menuRequest = $state<{ action: MenuAction; seq: number } | null>(null);

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
      this.connection.onMenu?.((action) => {
        this.menuRequest = { action, seq: (this.menuRequest?.seq ?? 0) + 1 };
        // New and import are Library/New views; export stays on the experiment on screen.
        if (action === 'new-experiment') win.location.hash = '#/new';
        if (action === 'import-experiment') win.location.hash = '#/library';
      });
    }
  }

  /** The seq of the latest menu request for `action` (0 when none), for views to react to. */
  menuSeq(action: MenuAction): number {
    return this.menuRequest?.action === action ? this.menuRequest.seq : 0;
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
