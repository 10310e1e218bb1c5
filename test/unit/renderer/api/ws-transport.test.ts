import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ApiError } from '../../../../main/api/index.js';
import { createWsTransport, type ConnectionState } from '../../../../renderer/api/ws-transport.js';

type Listener = (event: { data?: unknown; code?: number; reason?: string }) => void;

/** Just enough of a browser WebSocket: the test opens, closes and feeds it frames. */
class FakeSocket {
  readonly sent: unknown[] = [];
  readonly #listeners = new Map<string, Listener[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: Listener) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.emit('close', { code: 1000, reason: 'closed by client' });
  }
  emit(type: string, event: { data?: unknown; code?: number; reason?: string } = {}) {
    for (const l of this.#listeners.get(type) ?? []) l(event);
  }
  reply(frame: unknown) {
    this.emit('message', { data: JSON.stringify(frame) });
  }
}

let sockets: FakeSocket[];
let states: ConnectionState[];
let reconnects: number;

function connect() {
  return createWsTransport({
    url: 'ws://127.0.0.1:1/api?token=t',
    minRetryMs: 100,
    maxRetryMs: 1000,
    onState: (s) => states.push(s),
    onReconnect: () => (reconnects += 1),
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s as unknown as WebSocket;
    },
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  states = [];
  reconnects = 0;
});
afterEach(() => vi.useRealTimers());

describe('createWsTransport', () => {
  test('a call made while connecting is sent once the socket opens, and its result resolves it', async () => {
    const transport = connect();
    const result = transport.invoke('lab.info', {});
    const socket = sockets[0]!;
    expect(socket.sent).toEqual([]);
    socket.emit('open');
    expect(socket.sent).toEqual([{ type: 'call', id: 1, method: 'lab.info', params: {} }]);
    socket.reply({ type: 'result', id: 1, result: { hello: 'lab' } });
    await expect(result).resolves.toEqual({ hello: 'lab' });
    expect(states.map((s) => s.kind)).toEqual(['connecting', 'open']);
  });

  test('an error frame rejects with an ApiError that keeps the code, message and issues', async () => {
    const transport = connect();
    sockets[0]!.emit('open');
    const result = transport.invoke('runs.get', { id: 'nope' });
    sockets[0]!.reply({
      type: 'error',
      id: 1,
      error: {
        code: 'not-found',
        message: 'no run "nope"',
        issues: [{ path: 'id', message: 'unknown' }],
      },
    });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'not-found',
      message: 'no run "nope"',
      issues: [{ path: 'id', message: 'unknown' }],
    });
  });

  test('pushes reach every subscriber until it unsubscribes; junk frames are dropped', () => {
    const transport = connect();
    sockets[0]!.emit('open');
    const seen: string[] = [];
    const off = transport.subscribe((name) => seen.push(name));
    sockets[0]!.emit('message', { data: 'not json' });
    sockets[0]!.reply({ type: 'push', name: 'run.updated', payload: {} });
    off();
    sockets[0]!.reply({ type: 'push', name: 'run.events', payload: {} });
    expect(seen).toEqual(['run.updated']);
  });

  test('a lost connection fails calls in flight, says "closed", and reconnects with backoff', async () => {
    const transport = connect();
    sockets[0]!.emit('open');
    const inFlight = transport.invoke('runs.list', {});
    sockets[0]!.emit('close', { code: 1006, reason: '' });
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable' });
    expect(states.at(-1)).toMatchObject({ kind: 'closed', retryInMs: 100, everOpened: true });

    // A call made while disconnected waits for the next connection.
    const later = transport.invoke('runs.list', {});
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.emit('close', { code: 1006 });
    expect(states.at(-1)).toMatchObject({ kind: 'closed', retryInMs: 100 });
    vi.advanceTimersByTime(100);
    sockets[2]!.emit('open');
    expect(reconnects).toBe(1);
    expect(sockets[2]!.sent).toEqual([{ type: 'call', id: 2, method: 'runs.list', params: {} }]);
    sockets[2]!.reply({ type: 'result', id: 2, result: [] });
    await expect(later).resolves.toEqual([]);
  });

  test('backoff doubles per failed attempt up to the maximum', () => {
    connect();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      sockets[i]!.emit('close', { code: 1006 });
      const last = states.at(-1);
      if (last?.kind === 'closed') delays.push(last.retryInMs);
      vi.advanceTimersByTime(last?.kind === 'closed' ? last.retryInMs : 0);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
