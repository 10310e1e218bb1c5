/**
 * The WebSocket half of browser mode: authenticates upgrades (path, Host, Origin, token), serves
 * calls through `dispatch()` and broadcasts the lab's pushes. Frames: `main/api/ws-protocol.ts`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { formatIssues, describeIssues } from '../api/config.js';
import type { LabHandlers, LabPush } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import {
  CallFrame,
  FrameId,
  MAX_FRAME_BYTES,
  TOKEN_PARAM,
  WS_PATH,
  type ErrorFrame,
  type ResultFrame,
} from '../api/ws-protocol.js';
import { tokenMatches, type AccessPolicy } from './access.js';

/** Unsent bytes a connection may hold before it is dropped as too slow. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface SocketContext {
  handlers: LabHandlers;
  subscribe(listener: (push: LabPush) => void): () => void;
  token: string;
  policy: AccessPolicy;
}

export interface SocketEndpoint {
  /** The `upgrade` listener for the HTTP server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection and stops forwarding pushes. */
  close(): Promise<void>;
}

/** Creates the `/api` endpoint; pushes are forwarded to every open connection from now on. */
export function createSocketEndpoint(ctx: SocketContext): SocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const unsubscribe = ctx.subscribe((push) => {
    const frame = JSON.stringify({ type: 'push', name: push.name, payload: push.payload });
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      // A tab that stopped reading (suspended, stuck) would otherwise grow this process without
      // bound while runs stream; it is dropped and reloads what it missed when it reconnects.
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) client.terminate();
      else client.send(frame);
    }
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => void answer(ctx.handlers, ws, data, isBinary));
  });
  return {
    handleUpgrade(req, socket, head) {
      const refusal = refuse(ctx, req);
      if (refusal) {
        // Refused before the upgrade, so a foreign page never gets an open socket.
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The HTTP status line that refuses this upgrade, or null when it is accepted. */
function refuse(ctx: SocketContext, req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== WS_PATH) return '404 Not Found';
  const host = req.headers.host;
  if (!ctx.policy.hostAllowed(host)) return '403 Forbidden';
  if (!ctx.policy.originAllowed(req.headers.origin, host)) return '403 Forbidden';
  if (!tokenMatches(ctx.token, url.searchParams.get(TOKEN_PARAM))) return '403 Forbidden';
  return null;
}

async function answer(
  handlers: LabHandlers,
  ws: WebSocket,
  data: RawData,
  isBinary: boolean,
): Promise<void> {
  const reply = await replyTo(handlers, data, isBinary);
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(reply));
}

async function replyTo(
  handlers: LabHandlers,
  data: RawData,
  isBinary: boolean,
): Promise<ResultFrame | ErrorFrame> {
  if (isBinary) return frameError(null, 'binary frames are not accepted; send JSON text');
  let raw: unknown;
  try {
    raw = JSON.parse(rawText(data));
  } catch (error) {
    return frameError(
      null,
      `frame is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const frame = CallFrame.safeParse(raw);
  if (!frame.success) {
    // Keep the id when it is readable, so the caller's pending call fails instead of hanging.
    const id = FrameId.safeParse((raw as { id?: unknown } | null)?.id);
    return frameError(
      id.success ? id.data : null,
      `malformed call frame: ${formatIssues(frame.error)}`,
      describeIssues(frame.error),
    );
  }
  const result = await dispatch(handlers, frame.data.method, frame.data.params);
  return result.ok
    ? { type: 'result', id: frame.data.id, result: result.result }
    : { type: 'error', id: frame.data.id, error: result.error };
}

function frameError(
  id: FrameId | null,
  message: string,
  issues?: { path: string; message: string }[],
): ErrorFrame {
  return {
    type: 'error',
    id,
    error: issues
      ? { code: 'invalid-params', message, issues }
      : { code: 'invalid-params', message },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
