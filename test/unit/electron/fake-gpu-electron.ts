/**
 * What the GPU trainer window needs of `electron` beyond fake-electron.ts: MessageChannelMain
 * (a pair of in-memory ports) and `app.commandLine`. Kept apart so fake-electron.ts stays as the
 * other tests know it.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { fakeElectron } from './fake-electron.js';

export class FakeMessagePort extends EventEmitter {
  peer: FakeMessagePort | null = null;
  closed = false;
  start = vi.fn();
  close(): void {
    this.closed = true;
  }
  /** Delivers to the other end asynchronously, as a real port does. */
  postMessage(data: unknown): void {
    const peer = this.peer;
    if (this.closed || !peer) return;
    setImmediate(() => peer.emit('message', { data, ports: [] }));
  }
}

export class FakeMessageChannelMain {
  static created: FakeMessageChannelMain[] = [];
  port1 = new FakeMessagePort();
  port2 = new FakeMessagePort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
    FakeMessageChannelMain.created.push(this);
  }
}

export const fakeGpuElectron = {
  ...fakeElectron,
  MessageChannelMain: FakeMessageChannelMain,
};
