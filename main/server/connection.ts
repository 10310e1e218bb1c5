/**
 * One browser-mode WebSocket connection: the only place that sends on it, reads from it and ends
 * it. Every failure (a protocol violation, an oversized frame, a reset, a client that stopped
 * reading) ends this connection and nothing else: `ws` emits those as `'error'` events, and an
 * `'error'` with no listener would throw and take the whole server (and its runs) down.
 */
import { WebSocket, type RawData } from 'ws';

/** Unsent bytes (replies and pushes together) a connection may hold before it is dropped. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/**
 * Connections one server holds at once (tabs, scripts). With the send bound above, what
 * unread clients can make the server hold is bounded too; past it, upgrades get 503.
 */
export const MAX_CONNECTIONS = 64;
/** Calls one connection may have running at once; past it, reading from it pauses. */
export const MAX_CALLS_IN_FLIGHT = 32;

/** How long a connection ended by a protocol error may take to finish its close handshake. */
const CLOSE_GRACE_MS = 1000;

export type Answer = (data: RawData, isBinary: boolean) => Promise<string>;

export class Connection {
  private inFlight = 0;
  private ended = false;
  /** Calls received but not started: what ws had already read when reading was paused. */
  private readonly backlog: { data: RawData; isBinary: boolean }[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly answer: Answer,
    private readonly onEnd: (connection: Connection) => void,
  ) {
    // After a protocol error ws has already sent its close frame (1002, 1007, 1009…) so the
    // client learns why; the listener keeps the error from being thrown and makes sure the
    // socket is gone soon even if the client never answers the close.
    ws.on('error', () => this.end(CLOSE_GRACE_MS));
    ws.on('close', () => this.end());
    ws.on('message', (data, isBinary) => {
      this.backlog.push({ data, isBinary });
      this.pump();
    });
  }

  /**
   * Starts calls from the backlog while fewer than MAX_CALLS_IN_FLIGHT run. Backpressure on
   * calls: a client that floods calls stops being read from, so neither pending handlers nor
   * their replies can grow without bound. Pausing the socket alone is not enough: frames ws has
   * already read still arrive (hundreds from one burst), so they wait here instead of running.
   */
  private pump(): void {
    while (!this.ended && this.inFlight < MAX_CALLS_IN_FLIGHT && this.backlog.length > 0) {
      const { data, isBinary } = this.backlog.shift()!;
      this.inFlight += 1;
      this.answer(data, isBinary)
        .then((reply) => this.send(reply))
        .catch(() => this.end())
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
    if (this.ended) return;
    if (this.backlog.length > 0 || this.inFlight >= MAX_CALLS_IN_FLIGHT) this.ws.pause();
    else this.ws.resume();
  }

  /**
   * Queues one text frame — a reply or a push, the same bound for both. A client that stopped
   * reading (suspended tab, stuck script) is dropped instead of growing this process; the page
   * reloads what it missed when it reconnects.
   */
  send(frame: string): void {
    if (this.ended || this.ws.readyState !== WebSocket.OPEN) return;
    // Checked before queuing, so one frame larger than the bound still goes to a reading client;
    // what a connection holds stays under the bound plus one frame.
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.end();
      return;
    }
    // The callback receives write errors, which would otherwise surface as 'error' later.
    this.ws.send(frame, (error) => {
      if (error) this.end();
    });
  }

  /** Ends this connection (idempotent): at once, or after `graceMs` for a close in progress. */
  end(graceMs = 0): void {
    if (this.ended) return;
    this.ended = true;
    this.backlog.length = 0;
    if (graceMs === 0) this.ws.terminate();
    else setTimeout(() => this.ws.terminate(), graceMs).unref();
    this.onEnd(this);
  }
}
