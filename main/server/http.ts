/**
 * The HTTP half of browser mode: the built renderer from `staticDir` and report downloads from
 * `<home>/reports/`, every response with a strict CSP and no-referrer (the token is in the URL).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import mime from 'mime';
import { TOKEN_PARAM } from '../api/ws-protocol.js';
import { tokenMatches, type AccessPolicy } from './access.js';

/** The page's CSP; `connect-src` names the WebSocket endpoint of the host the page came from. */
export function contentSecurityPolicy(hostHeader: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // The renderer build has no inline scripts or styles (renderer/vite.config.ts).
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://${hostHeader}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface HttpContext {
  staticDir: string;
  reportsDir: string;
  token: string;
  policy: AccessPolicy;
  /** File names the lab wrote to `reportsDir` during this session; only these are served. */
  downloads: ReadonlySet<string>;
}

/** Answers one HTTP request; never throws (errors become 4xx/5xx responses). */
export async function handleHttp(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    await route(ctx, req, res);
  } catch (error) {
    if (!res.headersSent)
      text(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
    else res.destroy();
  }
}

async function route(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hostHeader = req.headers.host;
  if (!ctx.policy.hostAllowed(hostHeader)) return text(res, 403, 'forbidden host');
  setSecurityHeaders(res, hostHeader ?? '');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return text(res, 405, 'method not allowed');
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathname: string;
  let rawPath: string;
  try {
    pathname = decodeURIComponent(url.pathname);
    // URL parsing folds "/../" away; the raw request path shows what the client tried.
    rawPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
  } catch {
    return text(res, 400, 'bad path encoding');
  }
  for (const p of [pathname, rawPath]) {
    if (p.includes('\0') || p.split(/[\\/]/).includes('..'))
      return text(res, 403, 'forbidden path');
  }
  if (pathname.startsWith('/reports/')) {
    if (!tokenMatches(ctx.token, url.searchParams.get(TOKEN_PARAM)))
      return text(res, 403, 'token required');
    const name = pathname.slice('/reports/'.length);
    if (!ctx.downloads.has(name)) return text(res, 404, 'no such report');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    await sendFile(req, res, ctx.reportsDir, name, 'no-store');
    return;
  }
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const sent = await sendFile(
    req,
    res,
    ctx.staticDir,
    relative,
    relative === 'index.html' ? 'no-store' : 'no-cache',
    true,
  );
  // Client-side routes (no file extension) get the app shell.
  if (!sent && path.extname(relative) === '')
    await sendFile(req, res, ctx.staticDir, 'index.html', 'no-store');
  else if (!sent) text(res, 404, 'not found');
}

function setSecurityHeaders(res: ServerResponse, hostHeader: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(hostHeader));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * Streams `root/relative` if it is a regular file inside `root` (after resolving symlinks).
 * Returns false without answering when it is not (so the caller may fall back), unless
 * `quiet` is false, in which case a 404 is sent.
 */
async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  relative: string,
  cache: string,
  quiet = false,
): Promise<boolean> {
  const realRoot = await realpath(root).catch(() => null);
  const real = realRoot ? await realpath(path.resolve(realRoot, relative)).catch(() => null) : null;
  const info = real ? await stat(real).catch(() => null) : null;
  if (!realRoot || !real || !info?.isFile() || !real.startsWith(realRoot + path.sep)) {
    if (!quiet) text(res, 404, 'not found');
    return false;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType(real));
  res.setHeader('Content-Length', info.size);
  res.setHeader('Cache-Control', cache);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await pipeline(createReadStream(real), res);
  return true;
}

function contentType(file: string): string {
  const type = mime.getType(file) ?? 'application/octet-stream';
  return /^text\/|javascript|json|svg/.test(type) ? `${type}; charset=utf-8` : type;
}

function text(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${message}\n`);
}
