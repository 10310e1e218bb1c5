/** A well-behaved WebSocket client for the server tests: open, call, check the server answers. */
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { ServerFrame } from '../../../../main/server/protocol.js';
import type { RunningServer } from '../../../../main/server/server.js';

/** Opens an authorised connection to `server`. */
export function openClient(server: RunningServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      origin: `http://127.0.0.1:${server.port}`,
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one call on `ws` and resolves with the reply of that id. */
export function call(ws: WebSocket, id: number | string, method: string, params: unknown) {
  return new Promise<ServerFrame>((resolve, reject) => {
    const onClose = () => reject(new Error('closed before the reply'));
    const onMessage = (data: Buffer) => {
      const reply = ServerFrame.parse(JSON.parse(data.toString()));
      if (reply.type !== 'push' && reply.id === id) {
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(reply);
      }
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ type: 'call', id, method, params }));
  });
}

/** The server is up: a fresh connection gets the answer to a valid call (the stub's runs.stop). */
export async function expectServerAnswers(server: RunningServer): Promise<void> {
  const ws = await openClient(server);
  try {
    expect(await call(ws, 1, 'runs.stop', { id: 'r1' })).toEqual({
      type: 'result',
      id: 1,
      result: { ok: true },
    });
  } finally {
    ws.terminate();
  }
}
