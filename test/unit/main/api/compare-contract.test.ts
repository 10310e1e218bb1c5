/**
 * `compare.get` and `reports.compare` refuse bad run lists before any file is read, in words that
 * name the field — through the same dispatch as every transport, on a real lab.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComparedRunIds, MAX_COMPARED_RUNS } from '../../../../main/api/contract.js';
import { dispatch } from '../../../../main/api/dispatch.js';
import { createLab } from '../../../../main/lab/service.js';
import type { Lab } from '../../../../main/lab/types.js';

let home: string;
let lab: Lab;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-compare-api-'));
  lab = await createLab({ home, mode: 'cli' });
});
afterAll(async () => {
  await lab.close();
  await rm(home, { recursive: true, force: true });
});

const A = '20261129-031500-bn-simple--bn-before--s1';
const B = '20261130-101500-bn-deeper--bn-before--s1';

describe('compare API validation', () => {
  it.each([
    ['one run', { runIds: [A] }, /runIds: pick at least two runs to compare/],
    ['no list', {}, /runIds/],
    ['a run twice', { runIds: [A, A] }, /runIds: a run is listed twice/],
    ['a path instead of an id', { runIds: [A, '../../etc/passwd'] }, /runIds\.1: must be a run id/],
    [
      'an experiment id',
      { runIds: [A, '20261129-031500-bn-simple'] },
      /runIds\.1: must be a run id/,
    ],
    ['upper case', { runIds: [A, B.toUpperCase()] }, /runIds\.1: must be a run id/],
    ['a number', { runIds: [A, 7] }, /runIds\.1/],
    [
      'too many runs',
      { runIds: Array.from({ length: MAX_COMPARED_RUNS + 1 }, (_, i) => `${A.slice(0, -1)}${i}`) },
      /compare at most 12 runs at once/,
    ],
    ['an unknown field', { runIds: [A, B], extra: 1 }, /extra/],
  ])('compare.get refuses %s', async (_name, params, message) => {
    const outcome = await dispatch(lab.handlers, 'compare.get', params);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('invalid-params');
    expect(outcome.error.message).toMatch(message);
  });

  it('reports.compare refuses a format other than html or pdf, and bad ids, writing nothing', async () => {
    const csv = await dispatch(lab.handlers, 'reports.compare', { runIds: [A, B], format: 'csv' });
    expect(csv).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    if (!csv.ok) expect(csv.error.message).toMatch(/format/);
    const bad = await dispatch(lab.handlers, 'reports.compare', {
      runIds: ['x', B],
      format: 'html',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    expect(await readdir(home)).not.toContain('reports');
  });

  it('answers well-formed ids of runs that do not exist with not-found, naming the run', async () => {
    const outcome = await dispatch(lab.handlers, 'compare.get', { runIds: [A, B] });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not-found' } });
    if (!outcome.ok) expect(outcome.error.message).toContain(A);
  });

  it('accepts two to twelve distinct run ids as they are', () => {
    expect(ComparedRunIds.parse([A, B])).toEqual([A, B]);
  });
});
