import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLabClient, type LabTransport } from '../../../../main/api/client.js';
import { serveCommand } from '../../../../main/cli/commands.js';
import { CliError } from '../../../../main/cli/errors.js';
import { ServerFrame } from '../../../../main/server/protocol.js';
import { serve, type Serving } from '../../../../main/server/serve.js';

let root: string;
let staticDir: string;
let serving: Serving | null = null;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-serve-'));
  staticDir = path.join(root, 'renderer');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
});
afterEach(async () => {
  await serving?.stop();
  serving = null;
  await rm(root, { recursive: true, force: true });
});

/** A minimal LabTransport over `ws`, speaking the documented frames. */
function transport(url: string, origin: string): Promise<LabTransport & { close(): void }> {
  const ws = new WebSocket(url, { origin });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let next = 1;
  ws.on('message', (data: Buffer) => {
    const frame = ServerFrame.parse(JSON.parse(data.toString()));
    if (frame.type === 'push' || typeof frame.id !== 'number') return;
    const call = pending.get(frame.id);
    if (frame.type === 'result') call?.resolve(frame.result);
    else call?.reject(frame.error);
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        invoke: (method, params) =>
          new Promise((res, rej) => {
            const id = next++;
            pending.set(id, { resolve: res, reject: rej });
            ws.send(JSON.stringify({ type: 'call', id, method, params }));
          }),
        subscribe: () => () => undefined,
        close: () => ws.close(),
      }),
    );
  });
}

describe('bnlab serve', () => {
  it('serves the real lab in browser mode to a client holding the printed URL', async () => {
    const lines: string[] = [];
    const home = path.join(root, 'home');
    serving = await serve({
      home,
      staticDir,
      log: (l) => lines.push(l),
      warn: (l) => lines.push(l),
    });
    expect(lines.join('\n')).toContain(serving.url);
    expect(lines.join('\n')).not.toContain('warning');
    const page = new URL(serving.url);
    const wsUrl = `ws://${page.host}/api${page.search}`;
    const t = await transport(wsUrl, page.origin);
    const client = createLabClient(t);
    const info = await client.call('lab.info', {});
    expect(info).toMatchObject({ mode: 'browser', home });
    // The lab's own errors cross the socket intact: code and a message naming the bad value.
    const error = await client.call('runs.get', { id: 'nope' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ApiError', code: 'invalid-params' });
    expect(String((error as Error).message)).toContain('nope');
    t.close();
  });

  it('warns that a non-loopback bind exposes the lab to the network', async () => {
    const warnings: string[] = [];
    serving = await serve({
      home: path.join(root, 'home'),
      staticDir,
      host: '0.0.0.0',
      log: () => undefined,
      warn: (l) => warnings.push(l),
    });
    expect(warnings.join('\n')).toMatch(/anyone on that network/);
    expect(serving.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('says in one line that the port is in use (exit code 2), not with a raw Node error', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const error = await serveCommand(path.join(root, 'home'), {
        host: '127.0.0.1',
        port,
        staticDir,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect(error).toMatchObject({
        exitCode: 2,
        message: `cannot listen on 127.0.0.1:${port}: the port is in use`,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('says how to build the renderer when it is missing', async () => {
    await expect(
      serve({ home: path.join(root, 'home'), staticDir: path.join(root, 'none') }),
    ).rejects.toThrow(/npm run build:renderer/);
  });
});
