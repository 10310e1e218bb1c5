/**
 * The WebSocket wire format of browser mode, documented and defined in `main/api/ws-protocol.ts`
 * (so the renderer, which may import only `main/api`, shares the same schemas). Re-exported here
 * for the server side.
 */
export * from '../api/ws-protocol.js';
