/**
 * Decides once, at start-up, how the renderer reaches the lab: the Electron preload's
 * `window.lab`, or a WebSocket to the `bnlab serve` that served this page (token from the URL).
 */
import { createLabClient, type LabClient, type LabTransport } from '../../main/api/index.js';
import { MenuAction, type MenuActionKind } from '../../main/api/menu-actions.js';
import { createWsTransport, type ConnectionState } from './ws-transport.js';

type MenuSource = (listener: (action: MenuAction) => void) => () => void;
/** Tells the desktop app's main process which menu actions the page handles now. */
type MenuStateSink = (handled: readonly MenuActionKind[]) => void;

export type Connection =
  | {
      kind: 'electron';
      client: LabClient;
      onMenu: MenuSource | null;
      reportMenuState: MenuStateSink | null;
    }
  | { kind: 'websocket'; client: LabClient; url: string }
  /** Browser mode without a token: nothing to connect to, say what to do. */
  | { kind: 'no-token'; message: string };

export interface PickOptions {
  onState: (state: ConnectionState) => void;
  onReconnect: () => void;
}

function isClient(value: unknown): value is LabClient {
  const v = value as Partial<LabClient> | null;
  return typeof v?.call === 'function' && typeof v.on === 'function';
}

function isTransport(value: unknown): value is LabTransport {
  const v = value as Partial<LabTransport> | null;
  return typeof v?.invoke === 'function' && typeof v.subscribe === 'function';
}

/** The API endpoint for a page location, or null when the page has no `token` query parameter. */
export function webSocketUrl(location: {
  protocol: string;
  host: string;
  search: string;
}): string | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

function menuSource(exposed: unknown): MenuSource | null {
  const onMenu = (exposed as { onMenu?: unknown }).onMenu;
  if (typeof onMenu !== 'function') return null;
  return (listener) =>
    (onMenu as (l: (action: unknown) => void) => () => void)((action) => {
      // Wire data is unknown until parsed (STYLE 2), even from our own main process.
      const parsed = MenuAction.safeParse(action);
      if (parsed.success) listener(parsed.data);
      else console.warn('ignored a malformed menu action', action);
    });
}

function menuStateSink(exposed: unknown): MenuStateSink | null {
  const report = (exposed as { reportMenuState?: unknown }).reportMenuState;
  if (typeof report !== 'function') return null;
  return (handled) => (report as MenuStateSink)(handled);
}

/** Picks the transport for this window. */
export function pickConnection(win: Window, options: PickOptions): Connection {
  const exposed = (win as Window & { lab?: unknown }).lab;
  if (isClient(exposed)) {
    options.onState({ kind: 'open' });
    return {
      kind: 'electron',
      client: exposed,
      onMenu: menuSource(exposed),
      reportMenuState: menuStateSink(exposed),
    };
  }
  if (isTransport(exposed)) {
    options.onState({ kind: 'open' });
    return {
      kind: 'electron',
      client: createLabClient(exposed),
      onMenu: menuSource(exposed),
      reportMenuState: menuStateSink(exposed),
    };
  }
  const url = webSocketUrl(win.location);
  if (!url) {
    return {
      kind: 'no-token',
      message:
        'This page was opened without its session token. Open the full link that `bnlab serve` printed (it ends in ?token=…).',
    };
  }
  const transport = createWsTransport({
    url,
    onState: options.onState,
    onReconnect: options.onReconnect,
  });
  return { kind: 'websocket', client: createLabClient(transport), url };
}
