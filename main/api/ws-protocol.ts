/**
 * Browser mode's wire format: the frames that travel over the WebSocket between the renderer's
 * client and `main/server/`. It lives in `main/api/` (no Node built-ins) so the renderer may
 * import it; `main/server/protocol.ts` re-exports it for the server side.
 *
 * Connection: `ws://<host>:<port>/api?token=<token>`, where the token is the one in the page's
 * own URL (`location.search`). Without the right token, or from a page of another origin, the
 * upgrade is refused with HTTP 403 (the browser sees a failed connection, close code 1006).
 *
 * Frames are JSON text, one object per message (at most `MAX_FRAME_BYTES`):
 * - client → server, a call:   `{ id, method, params }`
 * - server → client, its reply: `{ id, ok: true, result }` or `{ id, ok: false, error }`, where
 *   `error` is an `ApiErrorBody` (code, message naming the bad field, issues). A frame that is not
 *   JSON or not a call is answered with `{ id: null, ok: false, error }` and the connection stays.
 * - server → client, a push:   `{ push: <PushName>, payload }` (already batched by the lab).
 * Replies may arrive in any order; match them by `id`. Payloads and results are parsed by
 * `createLabClient`, so the transport only routes them.
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
  id: FrameId,
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});
export type CallFrame = z.infer<typeof CallFrame>;

/** Server → client: the answer to one call (`id: null` when the frame could not be read). */
export const ReplyFrame = z.union([
  z.strictObject({ id: FrameId, ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id: FrameId.nullable(), ok: z.literal(false), error: ApiErrorBody }),
]);
export type ReplyFrame = z.infer<typeof ReplyFrame>;

/** Server → client: one pushed event; the name is checked by the client against `pushes`. */
export const PushFrame = z.strictObject({ push: z.string().min(1), payload: z.unknown() });
export type PushFrame = z.infer<typeof PushFrame>;

/** Anything the server sends. */
export const ServerFrame = z.union([PushFrame, ReplyFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
