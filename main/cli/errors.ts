/**
 * CLI exit codes and the one-line failure message. 0 success; 1 a run failed or was
 * interrupted; 2 invalid usage or input (config, file, id); 3 a resource is missing or
 * unavailable (dataset, backend, Chromium); 130 stopped with Ctrl-C.
 */
import { ApiError } from '../api/contract.js';

export const EXIT = { ok: 0, runFailed: 1, invalid: 2, unavailable: 3, interrupted: 130 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Maps any thrown value to an exit code and a one-line reason. */
export function describeFailure(error: unknown): { code: number; message: string } {
  if (error instanceof CliError) return { code: error.exitCode, message: error.message };
  if (error instanceof ApiError) {
    const code =
      error.code === 'invalid-params' || error.code === 'not-found' || error.code === 'conflict'
        ? EXIT.invalid
        : error.code === 'unavailable'
          ? EXIT.unavailable
          : EXIT.runFailed;
    return { code, message: error.message.split('\n').join(' ') };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: EXIT.runFailed, message: message.split('\n').join(' ') };
}
