/**
 * A LabTransport for renderer tests: records every call, answers from per-method handlers
 * (unknown methods reject with `not-found`), and can push events like the lab does.
 */
import { ApiError, type ApiErrorBody, type LabTransport } from '../../../main/api/index.js';

export interface RecordedCall {
  method: string;
  params: unknown;
}

export class FakeTransport implements LabTransport {
  readonly calls: RecordedCall[] = [];
  readonly #listeners = new Set<(name: string, payload: unknown) => void>();
  readonly #handlers = new Map<string, (params: unknown) => unknown>();

  /** Answers `method` with `handler(params)` (a thrown value becomes the rejection). */
  on(method: string, handler: (params: unknown) => unknown): this {
    this.#handlers.set(method, handler);
    return this;
  }

  invoke(method: string, params: unknown): Promise<unknown> {
    this.calls.push({ method, params });
    const handler = this.#handlers.get(method);
    if (!handler) {
      // Transports reject with the wire's ApiErrorBody; the client turns it into an ApiError.
      const body: ApiErrorBody = { code: 'not-found', message: `no fake handler for ${method}` };
      return Promise.reject(new ApiError(body.code, body.message));
    }
    try {
      return Promise.resolve(handler(params));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  subscribe(listener: (name: string, payload: unknown) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers a push to every subscriber, as the lab would. */
  push(name: string, payload: unknown): void {
    for (const listener of this.#listeners) listener(name, payload);
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }
}
