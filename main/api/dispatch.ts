/**
 * Server side of every transport: parse a method call's params with the contract, run the
 * handler, and turn every failure into an `ApiErrorBody` that names what was wrong.
 */
import { describeIssues, formatIssues } from './config.js';
import {
  ApiError,
  methods,
  type ApiErrorBody,
  type LabHandlers,
  type MethodName,
} from './contract.js';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

function isMethod(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** Validates and runs one call. Never throws. */
export async function dispatch(
  handlers: LabHandlers,
  method: string,
  params: unknown,
): Promise<DispatchResult> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'not-found', message: `unknown method "${method}"` } };
  }
  const parsed = methods[method][0].safeParse(params ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-params',
        message: `invalid params for ${method}: ${formatIssues(parsed.error)}`,
        issues: describeIssues(parsed.error),
      },
    };
  }
  try {
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.toBody() };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message } };
  }
}
