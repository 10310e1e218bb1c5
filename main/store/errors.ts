/**
 * Store errors carry an API error code, so the lab's transports pass them to the user as they are
 * (`not-found` for a missing run, `invalid-params` for a bad id or patch, `internal` for a file on
 * disk that does not validate).
 */
import { ApiError } from '../api/contract.js';
import type { ApiErrorBody } from '../api/contract.js';

export class StoreError extends ApiError {
  constructor(code: ApiErrorBody['code'], message: string, issues?: ApiErrorBody['issues']) {
    super(code, message, issues);
    this.name = 'StoreError';
  }
}

/** True for a Node file-system error with this code (ENOENT, EEXIST…). */
export function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}
