/**
 * App-wide state: the chosen connection, its health for the status bar, and `lab.info`.
 * `generation` increases after every reconnect so views reload what they may have missed.
 */
import type { LabClient, LabInfo } from '../../main/api/index.js';
import { pickConnection, type Connection } from '../api/pick-transport.js';
import type { ConnectionState } from '../api/ws-transport.js';

export class AppState {
  connection: Connection;
  link = $state<ConnectionState>({ kind: 'connecting', attempt: 1 });
  info = $state<LabInfo | null>(null);
  infoError = $state<string | null>(null);
  generation = $state(0);

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
      this.infoError = error instanceof Error ? error.message : String(error);
    }
  }
}
