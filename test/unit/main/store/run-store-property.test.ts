/**
 * The run store against random experiment and variant names (the stored-name schema, which also
 * holds the names older versions allowed, like `e-`) and random create / delete / list sequences,
 * all in the same second: no operation may touch another experiment's files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  StoredExperimentSpec,
  StoredSlug,
  StoredVariantSpec,
} from '../../../../main/api/config.js';
import type { ExperimentRecord } from '../../../../main/api/records.js';
import { parseRunId } from '../../../../main/store/ids.js';
import { environment, tempStore } from './store-fixture.js';

const AT = new Date('2026-12-02T07:00:00.000Z');
// A tiny alphabet, so that names are often prefixes of one another (`e`, `e-`, `e-2`, `e.`),
// with those near-collisions also drawn directly.
const name = fc.oneof(
  { arbitrary: fc.constantFrom('e', 'e-', 'e-2', 'e.'), weight: 3 },
  fc
    .string({ unit: fc.constantFrom('e', '-', '2', 's', '.'), minLength: 1, maxLength: 5 })
    .filter((n) => StoredSlug.safeParse(n).success),
);

type Op =
  | { kind: 'create'; name: string; variants: string[]; seeds: number }
  | { kind: 'delete-experiment'; pick: number }
  | { kind: 'delete-run'; pick: number }
  | { kind: 'list' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      name,
      variants: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
      seeds: fc.integer({ min: 1, max: 2 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('delete-experiment' as const), pick: fc.nat() }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('delete-run' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('list' as const) }),
);

/** run id → the content of its run.json, for every run folder on disk. */
async function runsOnDisk(home: string): Promise<Map<string, string>> {
  const dir = path.join(home, 'runs');
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = new Map<string, string>();
  for (const n of names) files.set(n, await readFile(path.join(dir, n, 'run.json'), 'utf8'));
  return files;
}

describe('run store under random names and operations', () => {
  it('never touches another experiment’s runs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const t = await tempStore({ now: () => AT });
        const { home, store } = t;
        // The model: experiment id → its run ids.
        const model = new Map<string, string[]>();
        try {
          for (const o of ops) {
            const before = await runsOnDisk(home);
            let owner: string | null = null; // the experiment this operation may change
            if (o.kind === 'create') {
              const spec = StoredExperimentSpec.parse({
                name: o.name,
                seeds: o.seeds,
                variants: o.variants.map((v) => ({ name: v })),
              });
              const experiment: ExperimentRecord = await store.createExperiment({
                name: o.name,
                preset: null,
                scale: null,
                spec,
                backendRequested: 'auto',
              });
              owner = experiment.id;
              const ids: string[] = [];
              for (const v of spec.variants) {
                for (let s = 0; s < o.seeds; s++) {
                  const variant = StoredVariantSpec.parse(v);
                  const run = await store.createRun(experiment, { variant, seed: s, environment });
                  expect(parseRunId(run.id)).toEqual({
                    experimentId: experiment.id,
                    variant: v.name,
                    seed: s,
                  });
                  ids.push(run.id);
                }
              }
              model.set(experiment.id, ids);
            } else if (o.kind === 'delete-experiment' && model.size > 0) {
              const id = [...model.keys()][o.pick % model.size]!;
              owner = id;
              await store.deleteExperiment(id);
              model.delete(id);
            } else if (o.kind === 'delete-run') {
              const all = [...model.entries()].flatMap(([e, ids]) => ids.map((r) => [e, r]));
              if (all.length > 0) {
                const [e, r] = all[o.pick % all.length]!;
                owner = e!;
                await store.deleteRun(r!);
                model.set(
                  e!,
                  model.get(e!)!.filter((x) => x !== r),
                );
              }
            } else if (o.kind === 'list') {
              const listed = (await store.listRuns()).map((r) => r.id).sort();
              expect(listed).toEqual([...model.values()].flat().sort());
            }
            // Every run of every other experiment is byte for byte what it was.
            const after = await runsOnDisk(home);
            for (const [id, content] of before) {
              if (parseRunId(id)?.experimentId === owner) continue;
              expect(after.get(id), `run ${id} after ${o.kind} of ${owner}`).toBe(content);
            }
            expect([...after.keys()].sort()).toEqual([...model.values()].flat().sort());
            for (const [id, runIds] of model) {
              expect((await store.getExperiment(id)).runIds).toEqual(runIds);
            }
          }
        } finally {
          await t.cleanup();
        }
      }),
      { numRuns: 50, interruptAfterTimeLimit: 20_000 },
    );
  }, 60_000);
});
