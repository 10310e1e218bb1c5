/**
 * The `app://` protocol that serves the built renderer (checklist #18: a custom protocol instead
 * of file://, so the page has an origin of its own and cannot read the disk).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol, type Session } from 'electron';
import mime from 'mime';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';

/**
 * Declares `app:` standard and secure; must run before the app is ready. Standard gives the
 * page a real origin (relative URLs, localStorage); secure makes it a secure context.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * The file under `root` an `app://lab/…` URL names, or null when the URL is foreign or tries to
 * leave `root` (`..`, encoded or not, backslashes, NUL). `/` is `index.html`.
 */
export function resolveAppFile(root: string, url: string): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    // URL parsing folds "/%2e%2e/" away; a URL that tried to climb is refused, not reinterpreted.
    if (decodeURIComponent(url).split(/[\\/]/).includes('..')) return null;
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) {
    return null;
  }
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  return file.startsWith(base + path.sep) ? file : null;
}

/** The `protocol.handle` handler serving `root`: 403 outside it, 404 when missing. */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = resolveAppFile(root, request.url);
    if (!file) return new Response('forbidden', { status: 403 });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return new Response('not found', { status: 404 });
    }
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': mime.getType(file) ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}

/** Serves `root` at `app://lab/` in a session (after ready). */
export function installAppProtocol(session: Session, root: string): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(root));
}
