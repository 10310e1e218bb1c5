/**
 * Who may talk to the browser-mode server: the session token (compared in constant time), the
 * `Host` header (DNS-rebinding defence on loopback binds) and the `Origin` of WebSocket upgrades.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh session token: 32 random bytes, base64url (URL-safe, 43 characters). */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time token check; false for a missing token. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  // Hashing first gives equal-length buffers, so neither content nor length leaks through timing.
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];
const WILDCARD_NAMES = ['0.0.0.0', '::', ''];

/** True for 127.0.0.1, localhost and ::1 (with or without IPv6 brackets). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.includes(stripBrackets(host));
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `host:port` as it appears in a URL or a Host header (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  const bare = stripBrackets(host);
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
}

export interface AccessPolicy {
  /** Whether an HTTP request with this Host header is served at all. */
  hostAllowed(hostHeader: string | undefined): boolean;
  /**
   * Whether a WebSocket upgrade from this Origin is accepted. A missing Origin is allowed: only
   * browsers send one, and a non-browser client cannot be driven by a foreign page (it still
   * needs the token).
   */
  originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean;
}

/**
 * The policy of a server bound to `host:port`. On a loopback bind only the loopback names are
 * valid hosts, so a rebound DNS name (evil.example → 127.0.0.1) is refused. On a wildcard or LAN
 * bind the host name users type is unknown; there the Origin must equal the page's own
 * `http://<Host>` and the token carries the protection.
 */
export function createAccessPolicy(host: string, port: number): AccessPolicy {
  const bare = stripBrackets(host);
  const names = isLoopbackHost(bare)
    ? LOOPBACK_NAMES
    : WILDCARD_NAMES.includes(bare)
      ? null
      : [bare];
  const allowedHosts = names ? new Set(names.map((n) => hostPort(n, port).toLowerCase())) : null;
  const hostAllowed = (hostHeader: string | undefined): boolean => {
    if (!hostHeader) return false;
    return allowedHosts ? allowedHosts.has(hostHeader.toLowerCase()) : true;
  };
  return {
    hostAllowed,
    originAllowed(origin, hostHeader) {
      if (origin === undefined) return true;
      if (!hostHeader || !hostAllowed(hostHeader)) return false;
      return origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
    },
  };
}
