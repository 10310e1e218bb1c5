/** Direct calls into the lab from the CLI, through the same validation as every transport. */
import { ApiError, type MethodName, type ParamsOf, type ResultOf } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import type { Lab } from '../lab/types.js';

/** Calls one lab method; an error becomes an ApiError with the lab's message. */
export async function callLab<M extends MethodName>(
  lab: Pick<Lab, 'handlers'>,
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  const outcome = await dispatch(lab.handlers, method, params);
  if (!outcome.ok)
    throw new ApiError(outcome.error.code, outcome.error.message, outcome.error.issues);
  return outcome.result as ResultOf<M>;
}
