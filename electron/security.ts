/**
 * The renderer's security settings, in one place (Electron security checklist numbers cited):
 * the CSP, the navigation and window-open policy, and the permission policy.
 */
import { shell, type Session, type WebContents } from 'electron';

/** The custom scheme the UI is served from (checklist #18: not file://). */
export const APP_SCHEME = 'app';
/** Host part of the app's URLs; `app://lab/index.html` is the main page. */
export const APP_HOST = 'lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * Checklist #7: a strict Content-Security-Policy. Only the app's own scripts and styles, no
 * inline code, no network: the renderer talks to the lab over IPC only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Whether a URL is one of the app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    // Not `.origin`: WHATWG URL gives every non-special scheme the opaque origin "null".
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Checklist #15: the hosts a link may open in the system browser, over https only — the papers
 * and datasets the lab cites (arXiv, DOIs, PMLR/JMLR/NeurIPS proceedings, CIFAR-10's page) and
 * GitHub issues. A link anywhere else is dropped: a compromised renderer cannot use the system
 * browser to reach an arbitrary site or hand a URL to another program.
 */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set([
  'arxiv.org',
  'doi.org',
  'proceedings.mlr.press',
  'jmlr.org',
  'www.jmlr.org',
  'papers.nips.cc',
  'proceedings.neurips.cc',
  'www.cs.toronto.edu',
  'github.com',
]);

/** Whether a URL may open in the system browser: https, no credentials, an allowed host. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      parsed.port === '' &&
      EXTERNAL_LINK_HOSTS.has(parsed.hostname)
    );
  } catch {
    return false;
  }
}

/** Opens an allowed link in the system browser; true when it did, false (nothing opened) else. */
export function openExternalLink(url: string): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  shell
    .openExternal(url)
    .catch((error: unknown) => console.warn(`could not open ${url}: ${String(error)}`));
  return true;
}

/**
 * Checklist #13 and #14: no navigation away from the app and no new windows. A link the user
 * clicks (e.g. a paper in the help text) opens in the system browser instead, never inside the
 * app, when the allow-list above has its host; any other link is dropped.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  // Checklist #12: no <webview>.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url);
    return { action: 'deny' };
  });
}

/**
 * Checklist #5: every permission request (camera, notifications, …) is denied, and every check
 * says no. For every session: the default one, the PDF printing one, any other Electron creates.
 */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The app's session: permissions denied (above) and, checklist #7, the CSP on every response. */
export function hardenSession(session: Session): void {
  denyPermissions(session);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}
