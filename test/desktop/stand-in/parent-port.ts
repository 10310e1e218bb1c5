/**
 * Preloaded (`--import`) into a stand-in utility process, a Node child forked with an IPC
 * channel: gives it `process.parentPort`, the way Electron gives one to a utility process, so the
 * real trainer entry (electron/trainer-entry.ts) runs unchanged. Messages arrive as
 * `{ data }` events, as `MessageEvent`s do.
 */
import { EventEmitter } from 'node:events';

type ParentPort = EventEmitter & { postMessage(message: unknown): void; start(): void };

const send = process.send?.bind(process);
if (!send) throw new Error('parent-port.ts runs only in a child forked with an IPC channel');

const port = new EventEmitter() as ParentPort;
port.postMessage = (message) => void send(message);
port.start = () => undefined;

// Messages from the parent are taken off `process` before anyone sees them there: in a utility
// process they exist only on the parent port. The trainer entry re-emits what it receives as
// `process.emit('message', data)` (its own shim for the worker); those objects pass through.
const delivered = new WeakSet<object>();
const emit = process.emit.bind(process) as (name: string | symbol, ...args: unknown[]) => boolean;
process.emit = ((name: string | symbol, ...args: unknown[]) => {
  const [message] = args;
  if (name !== 'message' || typeof message !== 'object' || message === null) {
    return emit(name, ...args);
  }
  if (delivered.has(message)) return emit(name, ...args);
  delivered.add(message);
  port.emit('message', { data: message, ports: [] });
  return true;
}) as typeof process.emit;

Object.defineProperty(process, 'parentPort', { value: port, configurable: true });
