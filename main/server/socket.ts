/**
 * The WebSocket half of browser mode: authenticates upgrades (path, Host, Origin, token), serves
 * calls through `dispatch()` and broadcasts the lab's pushes. Frames: `main/api/ws-protocol.ts`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
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
import { Connection, MAX_CONNECTIONS } from './connection.js';
import { describeJsonError } from '../api/json-error.js';

export { MAX_BUFFERED_BYTES, MAX_CONNECTIONS } from './connection.js';

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
  const connections = new Set<Connection>();
  const unsubscribe = ctx.subscribe((push) => {
    const frame = JSON.stringify({ type: 'push', name: push.name, payload: push.payload });
    for (const connection of connections) connection.send(frame);
  });
  const answer = async (data: RawData, isBinary: boolean) =>
    JSON.stringify(await replyTo(ctx.handlers, data, isBinary));
  wss.on('connection', (ws) => {
    connections.add(new Connection(ws, answer, (c) => connections.delete(c)));
  });
  // The server itself only errors while listening, which noServer mode never does; kept so that
  // an unexpected one is not thrown.
  wss.on('error', () => undefined);
  return {
    handleUpgrade(req, socket, head) {
      // A reset during the handshake would otherwise be an unhandled 'error' on the raw socket.
      socket.on('error', () => socket.destroy());
      const refusal =
        refuse(ctx, req) ??
        (connections.size >= MAX_CONNECTIONS ? '503 Service Unavailable' : null);
      if (refusal) {
        // Refused before the upgrade, so a foreign page never gets an open socket.
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      unsubscribe();
      for (const connection of connections) connection.end();
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

async function replyTo(
  handlers: LabHandlers,
  data: RawData,
  isBinary: boolean,
): Promise<ResultFrame | ErrorFrame> {
  if (isBinary) return frameError(null, 'binary frames are not accepted; send JSON text');
  let raw: unknown;
  const text = rawText(data);
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return frameError(null, `frame is not valid JSON: ${describeJsonError(error, text)}`);
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
