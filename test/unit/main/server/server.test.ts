import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabPush } from '../../../../main/api/contract.js';
import { WebSocket } from 'ws';
import { MAX_CONNECTIONS } from '../../../../main/server/connection.js';
import { ErrorFrame, ServerFrame } from '../../../../main/server/protocol.js';
import { startServer, type RunningServer } from '../../../../main/server/server.js';
import { createStubLab, type StubLab } from './stub-lab.js';

let root: string;
let lab: StubLab;
let server: RunningServer;
let origin: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-server-'));
  const staticDir = path.join(root, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(
    path.join(staticDir, 'index.html'),
    '<!doctype html><title>BN·Dropout Lab</title>',
  );
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("app")');
  await writeFile(path.join(root, 'secret.txt'), 'not for the browser');
  lab = createStubLab(path.join(root, 'home'));
  server = await startServer({ lab, staticDir });
  origin = `http://127.0.0.1:${server.port}`;
});

afterEach(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

/** Opens a WebSocket; resolves when open, rejects with the HTTP status of a refused upgrade. */
function connect(query: string, headers: { origin?: string } = { origin }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, headers);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`refused with ${res.statusCode}`)),
    );
    ws.once('error', reject);
  });
}

/** Collects every frame the server sends, parsed with the protocol schema. */
function frames(ws: WebSocket): { next(): Promise<ServerFrame> } {
  const queue: ServerFrame[] = [];
  const waiting: ((frame: ServerFrame) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const frame = ServerFrame.parse(JSON.parse(data.toString()));
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  return {
    next: () => {
      const frame = queue.shift();
      return frame ? Promise.resolve(frame) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** A plain HTTP GET with a raw (unnormalised) path; resolves with status, headers and body. */
function get(rawPath: string, host = `127.0.0.1:${server.port}`) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path: rawPath, headers: { host } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

/** The error message of a failed reply with this id (fails the test otherwise). */
function errorMessage(frame: ServerFrame, id: string | number | null): string {
  const error = ErrorFrame.parse(frame);
  expect(error.id).toBe(id);
  return error.error.message;
}

describe('browser-mode server: who may connect', () => {
  it('prints a URL with a fresh 32-byte token on 127.0.0.1', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
  });

  it('refuses a connection without the token or with a wrong one', async () => {
    await expect(connect('')).rejects.toThrow('refused with 403');
    await expect(connect('?token=wrong')).rejects.toThrow('refused with 403');
    await expect(connect(`?token=${server.token.slice(0, -1)}`)).rejects.toThrow(
      'refused with 403',
    );
  });

  it('refuses a page of a foreign origin even with the token', async () => {
    await expect(
      connect(`?token=${server.token}`, { origin: 'http://evil.example' }),
    ).rejects.toThrow('refused with 403');
    await expect(
      connect(`?token=${server.token}`, { origin: `http://127.0.0.1:${server.port + 1}` }),
    ).rejects.toThrow('refused with 403');
  });

  it('refuses a rebound host name (DNS rebinding) on a loopback bind', async () => {
    const page = await get('/', `evil.example:${server.port}`);
    expect(page.status).toBe(403);
  });

  it('holds at most MAX_CONNECTIONS connections, and takes a new one once one has closed', async () => {
    const open: WebSocket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) open.push(await connect(`?token=${server.token}`));
    await expect(connect(`?token=${server.token}`)).rejects.toThrow('refused with 503');
    const first = open.shift()!;
    await new Promise((resolve) => {
      first.once('close', resolve);
      first.close();
    });
    const again = await connect(`?token=${server.token}`);
    const replies = frames(again);
    again.send(JSON.stringify({ type: 'call', id: 1, method: 'runs.stop', params: { id: 'r' } }));
    expect(await replies.next()).toEqual({ type: 'result', id: 1, result: { ok: true } });
    for (const ws of [...open, again]) ws.terminate();
  });
});

describe('browser-mode server: API over WebSocket', () => {
  it('round-trips a method call to the lab', async () => {
    const ws = await connect(`?token=${server.token}`);
    const inbox = frames(ws);
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'runs.stop', params: { id: 'run-7' } }));
    expect(await inbox.next()).toEqual({ type: 'result', id: 1, result: { ok: true } });
    expect(lab.calls).toEqual([{ method: 'runs.stop', params: { id: 'run-7' } }]);
    ws.close();
  });

  it('answers invalid params with an error naming the field, and the lab is not called', async () => {
    const ws = await connect(`?token=${server.token}`);
    const inbox = frames(ws);
    ws.send(JSON.stringify({ type: 'call', id: 'a', method: 'runs.stop', params: { id: 42 } }));
    const reply = await inbox.next();
    expect(reply).toMatchObject({ type: 'error', id: 'a', error: { code: 'invalid-params' } });
    expect(ErrorFrame.parse(reply).error.issues?.map((i) => i.path)).toEqual(['id']);
    expect(errorMessage(reply, 'a')).toContain('id');
    expect(lab.calls).toEqual([]);
    ws.close();
  });

  it('answers malformed JSON with an error and keeps the connection', async () => {
    const ws = await connect(`?token=${server.token}`);
    const inbox = frames(ws);
    ws.send('{not json');
    expect(errorMessage(await inbox.next(), null)).toContain('not valid JSON');
    ws.send(JSON.stringify({ type: 'call', id: 2, params: {} }));
    expect(errorMessage(await inbox.next(), 2)).toContain('method');
    ws.send(JSON.stringify({ type: 'call', id: 3, method: 'runs.stop', params: { id: 'r' } }));
    expect(await inbox.next()).toMatchObject({ type: 'result', id: 3 });
    ws.close();
  });

  it('forwards the lab pushes to every connection', async () => {
    const first = await connect(`?token=${server.token}`);
    const second = await connect(`?token=${server.token}`);
    const inboxes = [frames(first), frames(second)];
    lab.emit({ name: 'experiment.updated', payload: { experimentId: 'exp-1', deleted: true } });
    for (const inbox of inboxes) {
      expect(await inbox.next()).toEqual({
        type: 'push',
        name: 'experiment.updated',
        payload: { experimentId: 'exp-1', deleted: true },
      });
    }
    first.close();
    second.close();
  });
});

describe('browser-mode server: HTTP', () => {
  it('serves the renderer with content types and a strict CSP', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('BN·Dropout Lab');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await get('/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses path traversal out of the renderer folder', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
    ]) {
      const res = await get(attempt);
      expect(res.status, attempt).toBe(403);
      expect(res.body).not.toContain('not for the browser');
    }
  });

  it('turns an exported report into a token-protected download', async () => {
    const ws = await connect(`?token=${server.token}`);
    const inbox = frames(ws);
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        method: 'reports.export',
        params: { experimentId: 'exp-1', format: 'csv' },
      }),
    );
    const reply = await inbox.next();
    ws.close();
    expect(reply).toMatchObject({ type: 'result', id: 1 });
    const result = (reply as { result: { downloadUrl: string } }).result;
    expect(result.downloadUrl).toBe(`/reports/exp-1.csv?token=${server.token}`);
    const download = await get(result.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.body).toBe('report of exp-1');
    expect(download.headers['content-disposition']).toBe('attachment; filename="exp-1.csv"');
    expect((await get('/reports/exp-1.csv')).status).toBe(403);
    expect((await get('/reports/exp-1.csv?token=wrong')).status).toBe(403);
    // A file in reports/ the lab did not produce in this session is not served.
    await writeFile(path.join(lab.home, 'reports', 'other.csv'), 'x');
    expect((await get(`/reports/other.csv?token=${server.token}`)).status).toBe(404);
  });
});

describe('browser-mode server: a client that stops reading', () => {
  it('is dropped once too much is queued for it, while others keep receiving', async () => {
    const stalled = await connect(`?token=${server.token}`);
    const healthy = await connect(`?token=${server.token}`);
    const closed = new Promise<number>((resolve) => stalled.once('close', resolve));
    // Stop reading on the stalled client: its TCP window fills, then the server's buffer grows.
    const socket = (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    let received = 0;
    healthy.on('message', () => (received += 1));
    // 1 MB per push, 40 pushes: 2.5× the 16 MB bound for the stalled client, and slow enough for
    // the healthy one to keep up on a loaded machine (a faster stream would drop it too, rightly).
    const events = Array.from({ length: 2 }, (_, i) => ({
      kind: 'log',
      time: i,
      message: 'x'.repeat(512 * 1024),
    }));
    const push = { name: 'run.events', payload: { runId: 'r', events } } as unknown as LabPush;
    for (let i = 0; i < 40; i += 1) {
      lab.emit(push);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Reading again, the stalled client finds its connection cut (no close frame: 1006).
    socket.resume();
    expect(await closed).toBe(1006);
    // Each push is 10 MB of JSON: on a loaded machine the healthy client needs a while to parse one.
    await vi.waitFor(() => expect(received).toBeGreaterThan(0), { timeout: 20_000 });
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  }, 30_000);
});
