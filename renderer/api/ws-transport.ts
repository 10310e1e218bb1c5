/**
 * Browser mode's transport: one WebSocket to `ws://<host>/api?token=…`, request/response by id,
 * pushes forwarded to subscribers. Reconnects with exponential backoff. Calls made before the
 * socket is open wait for it (the first views mount while it connects); calls already sent when
 * the connection drops fail with an `unavailable` error, since their answer is lost.
 */
import { ApiError, toApiError, type LabTransport } from '../../main/api/index.js';
import { ServerFrame, type CallFrame } from '../../main/api/ws-protocol.js';

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'closed'; retryInMs: number; everOpened: boolean; reason: string };

export interface WsTransportOptions {
  url: string;
  /** Called on every state change (for the status bar). */
  onState?: (state: ConnectionState) => void;
  /** Called after a reconnect (not the first connect), so views can reload what they missed. */
  onReconnect?: () => void;
  /** Backoff bounds in milliseconds. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** Injectable for tests. */
  createSocket?: (url: string) => WebSocket;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: Error) => void;
}

const unavailable = (message: string) => new ApiError('unavailable', message);

/** Parses one server frame (JSON text); null when it is not one (dropped, as the protocol says). */
function decodeFrame(text: string): ServerFrame | null {
  try {
    const parsed = ServerFrame.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A LabTransport over a reconnecting WebSocket; `close()` stops it for good. */
export function createWsTransport(options: WsTransportOptions): LabTransport & { close(): void } {
  const minRetryMs = options.minRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const pending = new Map<number, Pending>();
  /** Frames of calls made while not connected, sent on the next open. */
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let open = false;
  let everOpened = false;
  let attempt = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const failPending = (message: string) => {
    for (const p of pending.values()) p.reject(unavailable(message));
    pending.clear();
  };

  const connect = () => {
    attempt += 1;
    options.onState?.({ kind: 'connecting', attempt });
    const ws = createSocket(options.url);
    socket = ws;
    ws.addEventListener('open', () => {
      open = true;
      const reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      for (const frame of outbox.splice(0)) ws.send(frame);
      options.onState?.({ kind: 'open' });
      if (reconnected) options.onReconnect?.();
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const frame = decodeFrame(event.data);
      if (!frame) return;
      if (frame.type === 'push') {
        for (const listener of listeners) listener(frame.name, frame.payload);
        return;
      }
      if (typeof frame.id !== 'number') return;
      const waiting = pending.get(frame.id);
      if (!waiting) return;
      pending.delete(frame.id);
      if (frame.type === 'result') waiting.resolve(frame.result);
      else waiting.reject(toApiError(frame.error));
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      open = false;
      socket = null;
      // Calls still in the outbox were never sent: they wait for the next connection.
      const unsent = new Set(outbox.map((f) => (JSON.parse(f) as CallFrame).id));
      for (const [id, p] of pending) {
        if (unsent.has(id)) continue;
        pending.delete(id);
        p.reject(
          unavailable('the connection to the lab server was lost; the call was not completed'),
        );
      }
      if (stopped) return;
      const retryInMs = Math.min(
        maxRetryMs,
        minRetryMs * 2 ** Math.min(Math.max(0, attempt - 1), 10),
      );
      options.onState?.({
        kind: 'closed',
        retryInMs,
        everOpened,
        reason: event.reason || `code ${event.code}`,
      });
      timer = setTimeout(connect, retryInMs);
    });
  };

  connect();

  return {
    invoke(method, params) {
      if (stopped) return Promise.reject(unavailable('the client was closed'));
      const id = nextId++;
      const frame: CallFrame = { type: 'call', id, method, params };
      const text = JSON.stringify(frame);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (open && socket) socket.send(text);
        else outbox.push(text);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close();
      outbox.length = 0;
      failPending('the client was closed');
    },
  };
}
