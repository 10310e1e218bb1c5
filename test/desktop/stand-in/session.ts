/**
 * `Session`: one Chromium browser context per Electron session. Its requests go through the
 * app's own handlers: `protocol.handle` for custom schemes (served at a stand-in http origin,
 * see urls.ts), `webRequest.onBeforeRequest` to cancel, `webRequest.onHeadersReceived` to
 * rewrite headers. Nothing reaches a network: a request no handler serves is aborted.
 */
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { fromPageUrl } from './urls.js';

type ProtocolHandler = (request: Request) => Promise<Response> | Response;
type BeforeRequest = (
  details: { url: string; method: string; resourceType: string },
  callback: (response: { cancel?: boolean }) => void,
) => void;
type HeadersReceived = (
  details: { url: string; statusCode: number; responseHeaders: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
) => void;

let browser: Browser | null = null;
/** Called once Chromium runs; sessions create their contexts from then on. */
export function useBrowser(running: Browser): void {
  browser = running;
}

export class StandInSession {
  private readonly handlers = new Map<string, ProtocolHandler>();
  private beforeRequest: BeforeRequest | null = null;
  private headersReceived: HeadersReceived | null = null;
  private context: Promise<BrowserContext> | null = null;
  permissionRequestHandler: unknown = null;
  permissionCheckHandler: unknown = null;

  constructor(readonly partition: string) {}

  readonly protocol = {
    handle: (scheme: string, handler: ProtocolHandler) => void this.handlers.set(scheme, handler),
    unhandle: (scheme: string) => void this.handlers.delete(scheme),
    isProtocolHandled: (scheme: string) => this.handlers.has(scheme),
  };

  readonly webRequest = {
    // (listener) or (filter, listener); the stand-in applies a listener to every URL.
    onBeforeRequest: (first: unknown, second?: BeforeRequest | null) =>
      void (this.beforeRequest =
        typeof first === 'function' ? (first as BeforeRequest) : (second ?? null)),
    onHeadersReceived: (first: unknown, second?: HeadersReceived | null) =>
      void (this.headersReceived =
        typeof first === 'function' ? (first as HeadersReceived) : (second ?? null)),
  };

  setPermissionRequestHandler(handler: unknown): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: unknown): void {
    this.permissionCheckHandler = handler;
  }

  /** This session's browser context, created on first use. */
  browserContext(): Promise<BrowserContext> {
    this.context ??= (async () => {
      if (!browser) throw new Error('a window was created before app.whenReady() resolved');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.route('**/*', (route) => this.serve(route));
      return context;
    })();
    return this.context;
  }

  private async serve(route: Route): Promise<void> {
    const request = route.request();
    const url = fromPageUrl(request.url()) ?? request.url();
    if (this.beforeRequest) {
      const listener = this.beforeRequest;
      const cancel = await new Promise<boolean>((resolve) =>
        listener(
          { url, method: request.method(), resourceType: request.resourceType() },
          (response) => resolve(response.cancel === true),
        ),
      );
      if (cancel) return route.abort('blockedbyclient');
    }
    const scheme = new URL(url).protocol.replace(/:$/, '');
    const handler = this.handlers.get(scheme);
    // Files and data URLs load as Chromium loads them (the PDF printer's report file); nothing
    // else reaches a network.
    if (!handler && (scheme === 'file' || scheme === 'data')) return route.continue();
    if (!handler) return route.abort('blockedbyclient');
    const response = await handler(
      new Request(url, { method: request.method(), headers: await request.allHeaders() }),
    );
    const headers = await this.rewriteHeaders(url, response);
    await route.fulfill({
      status: response.status,
      headers,
      body: Buffer.from(await response.arrayBuffer()),
    });
  }

  private async rewriteHeaders(url: string, response: Response): Promise<Record<string, string>> {
    const responseHeaders: Record<string, string[]> = {};
    response.headers.forEach((value, name) => (responseHeaders[name] = [value]));
    if (!this.headersReceived) return flatten(responseHeaders);
    const hook = this.headersReceived;
    const rewritten = await new Promise<Record<string, string | string[]> | undefined>((resolve) =>
      hook({ url, statusCode: response.status, responseHeaders }, (r) =>
        resolve(r.responseHeaders),
      ),
    );
    return flatten(rewritten ?? responseHeaders);
  }
}

/** Header values as Chromium receives them; a name given twice in different cases is merged. */
function flatten(headers: Record<string, string | string[]>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(', ') : value;
    // A hook that adds `Content-Security-Policy` beside the handler's own replaces it, as
    // Electron's header map (case-insensitive) does.
    flat[key] = joined;
  }
  return flat;
}

const sessions = new Map<string, StandInSession>();
export const session = {
  defaultSession: new StandInSession(''),
  fromPartition(partition: string): StandInSession {
    let found = sessions.get(partition);
    if (!found) sessions.set(partition, (found = new StandInSession(partition)));
    return found;
  },
};
