/**
 * The typed lab client, built from the contract over any transport: Electron's preload
 * (`ipcRenderer.invoke` + one event channel), the WebSocket client of browser mode, or a fake
 * transport in tests. Results and pushes are parsed here, so callers only see valid data.
 */
import { z } from 'zod';
import {
  ApiError,
  ApiErrorBody,
  methods,
  pushes,
  type LabPush,
  type MethodName,
  type ParamsOf,
  type PushName,
  type PushOf,
  type ResultOf,
} from './contract.js';

export interface LabTransport {
  /** Resolves with the raw result, or rejects with an `ApiErrorBody`-shaped value or an Error. */
  invoke(method: string, params: unknown): Promise<unknown>;
  /** Receives every pushed event as (name, payload); returns an unsubscribe function. */
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

export type LabClient = {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  on<P extends PushName>(name: P, listener: (payload: PushOf<P>) => void): () => void;
};

/** Wraps a transport into the typed client. A malformed result or push is an error, not data. */
export function createLabClient(transport: LabTransport): LabClient {
  return {
    async call(method, params) {
      let raw: unknown;
      try {
        raw = await transport.invoke(method, params);
      } catch (error) {
        throw toApiError(error);
      }
      const parsed = methods[method][1].safeParse(raw);
      if (!parsed.success) {
        throw new ApiError(
          'internal',
          `malformed result of ${method}: ${z.prettifyError(parsed.error)}`,
        );
      }
      return parsed.data as ResultOf<typeof method>;
    },
    on(name, listener) {
      return transport.subscribe((pushName, payload) => {
        if (pushName !== name) return;
        const parsed = pushes[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as PushOf<typeof name>);
        else console.warn(`dropped malformed ${name} push: ${parsed.error.message}`);
      });
    },
  };
}

/** Turns whatever a transport rejected with into an ApiError (keeps code, message, issues). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const body = ApiErrorBody.safeParse(error);
  if (body.success) return new ApiError(body.data.code, body.data.message, body.data.issues);
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('internal', message);
}

export type { LabPush };
