/**
 * Custom-scheme URLs in the stand-in. Chromium without Electron cannot load an unregistered
 * scheme, so `app://lab/x` is loaded as `http://lab.app.localhost/x` (a secure context, like a
 * privileged `secure` scheme) and every request to it is routed to the app's `protocol.handle`
 * handler. What the app sees (frame URLs, handler requests) is the `app://` form.
 */
const SUFFIX = '.localhost';

/** The URL Chromium loads for `url` (unchanged for http, https, file, data, about). */
export function toPageUrl(url: string): string {
  const parsed = new URL(url);
  const scheme = parsed.protocol.replace(/:$/, '');
  if (['http', 'https', 'file', 'data', 'about'].includes(scheme)) return url;
  return `http://${parsed.host}.${scheme}${SUFFIX}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** The custom-scheme URL a page URL stands for, or null when it is an ordinary URL. */
export function fromPageUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' || !parsed.hostname.endsWith(SUFFIX)) return null;
  const labels = parsed.hostname.slice(0, -SUFFIX.length).split('.');
  if (labels.length !== 2) return null;
  const [host, scheme] = labels;
  return `${scheme}://${host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}
