/**
 * Seed derivation. Every random draw in the trainer (initial weights, dropout masks) takes its seed
 * from a hash of (run seed, what it is for), so two variants whose layers share a name and shape
 * start from the same weights, and a resumed run draws the same masks as an uninterrupted one.
 */

/** A 31-bit seed from any sequence of parts (FNV-1a over their text, order-sensitive). */
export function deriveSeed(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche so that seeds differing in one trailing digit are far apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return (hash >>> 0) & 0x7fffffff;
}
