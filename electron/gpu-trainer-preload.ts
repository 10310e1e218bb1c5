/**
 * Preload of the hidden GPU trainer window (sandboxed, context-isolated): passes the engine port
 * the main process sends into the page, where the bundle answers engine requests on it. It
 * exposes nothing else.
 */
import { ipcRenderer } from 'electron';

// electron/ has no DOM typings; the preload's `window` is the page's, reached through globalThis.
const page = globalThis as unknown as {
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
};

ipcRenderer.once('bnlab:engine-port', (event) => {
  page.postMessage('bnlab:engine-port', '*', event.ports);
});
