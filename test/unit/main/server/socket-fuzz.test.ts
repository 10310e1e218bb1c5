/**
 * What a hostile or broken client can send to browser mode: frames that violate the WebSocket
 * protocol (at the TCP level), oversized messages, random bytes, random methods and payloads,
 * and a flood of calls it never reads the replies of. Each may end its own connection; none may
 * take the server down, so a valid call on a fresh connection must still be answered.
 * Loopback only; bounded in runs and time.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, ServerFrame } from '../../../../main/server/protocol.js';
import { startServer, type RunningServer } from '../../../../main/server/server.js';
import { PROTOCOL_VIOLATIONS as violations, openRaw } from './raw-socket.js';
import { createStubLab } from './stub-lab.js';
import { call, expectServerAnswers as expectServer, openClient } from './ws-call.js';

let root: string;
let server: RunningServer;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-fuzz-'));
  const staticDir = path.join(root, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  const lab = createStubLab(path.join(root, 'home'));
  server = await startServer({ lab, staticDir });
});

afterEach(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const open = () => openClient(server);
const expectServerAnswers = () => expectServer(server);

describe('browser-mode server under malformed WebSocket frames', () => {
  it.each(violations)('%s ends that connection only', async (_name, bytes) => {
    const bystander = await open();
    const raw = await openRaw(server.port, server.token);
    raw.socket.write(bytes);
    await raw.closed;
    // The other tab kept its connection and is still served.
    expect(await call(bystander, 'b', 'runs.stop', { id: 'r2' })).toMatchObject({ type: 'result' });
    bystander.terminate();
    await expectServerAnswers();
  });

  it('closes a connection that sends a message over the frame limit with 1009', async () => {
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    await expectServerAnswers();
  });

  it('survives random bytes after the handshake', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 256 }), async (bytes) => {
        const raw = await openRaw(server.port, server.token);
        raw.socket.write(bytes);
        // Random bytes may also be a valid, incomplete frame: the test ends the connection then.
        await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 50))]);
        raw.socket.destroy();
      }),
      { numRuns: 40, interruptAfterTimeLimit: 15_000 },
    );
    await expectServerAnswers();
  });

  it('answers random method names and payloads with an error frame, keeping the connection', async () => {
    const ws = await open();
    let id = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom('runs.get', 'runs.delete')),
        fc.jsonValue({ maxDepth: 3 }),
        async (method, params) => {
          id += 1;
          const reply = await call(ws, id, method, params);
          expect(reply.type === 'error' || reply.type === 'result').toBe(true);
        },
      ),
      { numRuns: 100, interruptAfterTimeLimit: 15_000 },
    );
    // Frames that are not calls at all are answered too, with id null.
    for (const junk of [
      '',
      'null',
      '[]',
      '{"type":"call","id":{}}',
      '\u0000\u0001',
      '{'.repeat(5000),
    ]) {
      const reply = new Promise<ServerFrame>((resolve) =>
        ws.once('message', (data: Buffer) =>
          resolve(ServerFrame.parse(JSON.parse(data.toString()))),
        ),
      );
      ws.send(junk);
      const frameBack = await reply;
      expect(frameBack.type).toBe('error');
      // One line, and none of the frame's bytes echoed back.
      const message = frameBack.type === 'error' ? frameBack.error.message : '';
      expect(message.includes('\n') || message.includes('\u0000')).toBe(false);
    }
    expect(await call(ws, 'last', 'runs.stop', { id: 'r3' })).toMatchObject({ type: 'result' });
    ws.terminate();
  });
});
