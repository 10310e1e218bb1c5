/**
 * Browser mode's wire format: the frames that travel over the WebSocket between the renderer's
 * client and `main/server/`. It lives in `main/api/` (no Node built-ins) so the renderer may
 * import it; `main/server/protocol.ts` re-exports it for the server side.
 *
 * Connection: `ws://<host>:<port>/api?token=<token>`, where the token is the one in the page's
 * own URL (`location.search`). Without the right token, or from a page of another origin, the
 * upgrade is refused with HTTP 403 (the browser sees a failed connection, close code 1006).
 *
 * Frames are JSON text, one object per message (at most `MAX_FRAME_BYTES`), a union on `type`:
 * - client → server, a call:   `{ type: 'call', id, method, params }`
 * - server → client, its reply: `{ type: 'result', id, result }` or `{ type: 'error', id, error }`,
 *   where `error` is an `ApiErrorBody` (code, a message naming the bad field, issues). A frame that
 *   is not JSON or not a call is answered with an `error` (its `id` when readable, else null) and
 *   the connection stays open.
 * - server → client, a push:   `{ type: 'push', name: <PushName>, payload }` (already batched).
 * Replies may arrive in any order; match them by `id`. Payloads and results are parsed by
 * `createLabClient`, so the transport only routes them. (The renderer's client is
 * `renderer/api/ws-transport.ts`.)
 */
import { z } from 'zod';
import { ApiErrorBody } from './contract.js';

/** Path of the WebSocket endpoint on the browser-mode server. */
export const WS_PATH = '/api';
/** Query parameter that carries the session token (page URL, WebSocket URL, downloads). */
export const TOKEN_PARAM = 'token';
/** Largest frame the server accepts, in bytes; a bigger one closes the connection (1009). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** A call's correlation id, chosen by the client. */
export const FrameId = z.union([z.int().nonnegative(), z.string().min(1).max(64)]);
export type FrameId = z.infer<typeof FrameId>;

/** Client → server: one method call. */
export const CallFrame = z.strictObject({
  type: z.literal('call'),
  id: FrameId,
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});
export type CallFrame = z.infer<typeof CallFrame>;

/** Server → client: the result of one call. */
export const ResultFrame = z.strictObject({
  type: z.literal('result'),
  id: FrameId,
  result: z.unknown(),
});
export type ResultFrame = z.infer<typeof ResultFrame>;

/** Server → client: a failed call (`id: null` when the frame could not be read at all). */
export const ErrorFrame = z.strictObject({
  type: z.literal('error'),
  id: FrameId.nullable(),
  error: ApiErrorBody,
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;

/** Server → client: one pushed event; the name is checked by the client against `pushes`. */
export const PushFrame = z.strictObject({
  type: z.literal('push'),
  name: z.string().min(1),
  payload: z.unknown(),
});
export type PushFrame = z.infer<typeof PushFrame>;

/** Anything the server sends. */
export const ServerFrame = z.discriminatedUnion('type', [ResultFrame, ErrorFrame, PushFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
