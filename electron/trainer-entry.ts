/**
 * Entry of a trainer utility process. The worker (main/trainer/worker.ts) speaks Node's IPC
 * (`process.on('message')`, `process.send`) as it does under `child_process.fork`; a utility
 * process has `process.parentPort` instead. This shim maps one onto the other before the
 * worker loads, so the worker stays free of Electron.
 */
const port = process.parentPort;

// Node's send(message, [handle], [options], [callback]): the worker awaits the callback to know
// a message left before it exits. postMessage hands the message over synchronously.
process.send = ((message: unknown, ...rest: unknown[]) => {
  port.postMessage(message);
  const callback = rest.findLast((arg) => typeof arg === 'function') as
    ((error: Error | null) => void) | undefined;
  if (callback) setImmediate(() => callback(null));
  return true;
}) as typeof process.send;
let connected = true;
Object.defineProperty(process, 'connected', { get: () => connected, configurable: true });
// Messages that arrive while the worker module is still loading (the lab sends `start` right
// after forking) are held, then delivered once the worker listens on `process`.
let early: unknown[] | null = [];
const deliver = (data: unknown): void =>
  void process.emit('message', data as never, undefined as never);
const forward = (event: Electron.MessageEvent): void => {
  if (early) early.push(event.data);
  else deliver(event.data);
};
port.on('message', forward);
process.disconnect = () => {
  connected = false;
  port.off('message', forward);
  process.emit('disconnect');
  // The parent port may keep the process alive; the worker is done talking, so end it soon.
  setTimeout(() => process.exit(0), 1000).unref();
};

await import('../main/trainer/worker.js');
const held = early;
early = null;
for (const data of held) deliver(data);
