/**
 * What the stand-in runs inside a window's page before the page's own scripts (CDP init
 * scripts, which the page's CSP does not govern — neither does it govern Electron's preload):
 * the CSP-violation listener, and the real preload with `require('electron')` answering
 * `contextBridge` and `ipcRenderer` bridged to the main process over playwright bindings.
 */

/** Binding the page calls for `ipcRenderer.invoke` / `send`: `(op, channel, args)`. */
export const IPC_BINDING = '__standinIpc';
/** Binding the page calls with each `securitypolicyviolation` event's description. */
export const CSP_BINDING = '__standinCsp';
/** Page function the main process calls (without a user gesture) for `webContents.send`. */
export const DELIVER_FUNCTION = '__standinDeliver';

/** Reports every CSP violation of the top document to the main process. */
export const CSP_SCRIPT = `(() => {
  const report = window.${CSP_BINDING};
  document.addEventListener('securitypolicyviolation', (e) =>
    void report(e.violatedDirective + ' blocked ' + e.blockedURI + ' (' + e.sourceFile + ':' + e.lineNumber + ')'));
})();`;

/**
 * The preload, run as Electron runs a sandboxed preload: a CommonJS function whose `require`
 * knows only 'electron'. `exposeInMainWorld` defines a frozen property on `window` (in the
 * page's own world: the stand-in has no isolated world). Top frame only, as in Electron.
 */
export function preloadScript(preloadSource: string): string {
  return `(() => {
  if (window.top !== window) return;
  const invoke = window.${IPC_BINDING};
  const listeners = new Map();
  const revive = (_key, value) =>
    value && typeof value === 'object' && '$standin' in value ? Number(value.$standin) : value;
  Object.defineProperty(window, '${DELIVER_FUNCTION}', {
    value: (json) => {
      const [channel, args] = JSON.parse(json, revive);
      for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: null }, ...args);
    },
  });
  const ipcRenderer = {
    invoke: (channel, ...args) => invoke('invoke', channel, args),
    send: (channel, ...args) => void invoke('send', channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, []);
      listeners.get(channel).push(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      const list = listeners.get(channel) ?? [];
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze({ ...api }), enumerable: true });
    },
  };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('a sandboxed preload cannot require ' + name);
  };
  const module = { exports: {} };
  (function (exports, require, module, __filename, __dirname) {
${preloadSource}
  })(module.exports, require, module, 'preload.cjs', '.');
})();`;
}

/** JSON for `DELIVER_FUNCTION`, keeping NaN and ±Infinity (structured clone keeps them). */
export function encodeDelivery(channel: string, args: unknown[]): string {
  return JSON.stringify([channel, args], (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? { $standin: String(value) } : value,
  );
}
