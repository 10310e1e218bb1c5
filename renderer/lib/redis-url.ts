/**
 * The Settings view's URL and password fields as one Redis URL. The password field, when filled,
 * replaces the URL's password (percent-encoded, so `@`, `:` and `/` in it are safe); empty, the
 * URL is taken as typed — a `***` password there stands for the saved one (the lab resolves it).
 */

/** The URL to send; throws a sentence when the URL cannot be parsed. */
export function composeRedisUrl(url: string, password: string): string {
  const trimmed = url.trim();
  if (password === '') return trimmed;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new Error('enter a Redis URL like redis://host:6379 before a password');
  }
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
