/**
 * The tensor engine over tfjs in this JavaScript realm, on whatever backend tfjs is switched to:
 * the trainer process for wasm/cpu/tfjs-node, the Chromium page or Electron trainer window for
 * webgpu/webgl (engine-server.ts wraps it there). The only place a run's tensors live.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '../models/index.js';
import type { Model, NamedVariable } from '../models/types.js';
import type { NamedTensor } from '../optimizer.js';
import { probeRun } from '../probe-run.js';
import type { VariantSpec } from '../../api/config.js';
import { createTrainer, type Trainer } from '../train-step.js';
import type { EngineState, HostBatch, TensorEngine } from './types.js';
import type { HostTensor } from './wire-tensor.js';

/** A tensor engine on tfjs's current backend. */
export function createLocalEngine(): TensorEngine {
  let model: Model | null = null;
  let trainer: Trainer | null = null;
  let variant: VariantSpec | null = null;
  const need = (): { model: Model; trainer: Trainer; variant: VariantSpec } => {
    if (!model || !trainer || !variant)
      throw new Error('tensor engine: no model (init was not called)');
    return { model, trainer, variant };
  };
  const withBatch = async <T>(
    batch: HostBatch,
    use: (x: tf.Tensor4D, labels: tf.Tensor1D) => Promise<T>,
  ): Promise<T> => {
    const x = toTensor(batch.x) as tf.Tensor4D;
    const labels = toTensor(batch.labels) as tf.Tensor1D;
    try {
      return await use(x, labels);
    } finally {
      tf.dispose([x, labels]);
    }
  };

  return {
    init(spec) {
      trainer?.dispose();
      model?.dispose();
      model = buildModel(spec.variant, spec.input, spec.seed);
      trainer = createTrainer(model, spec.training, spec.seed);
      variant = spec.variant;
      return Promise.resolve(model.summary);
    },
    step: (batch, globalStep) =>
      withBatch(batch, (x, labels) => need().trainer.step(x, labels, globalStep)),
    evaluate: (batch) => withBatch(batch, (x, labels) => need().trainer.evaluate(x, labels)),
    gradients: (batch, globalStep) =>
      withBatch(batch, async (x, labels) => {
        const { model: m, trainer: t } = need();
        const { loss, correct, grads } = t.gradients(x, labels, globalStep);
        try {
          const named = m.trainable.map(({ name, variable }) => {
            const grad = grads[variable.name];
            if (!grad) throw new Error(`no gradient for ${name}`);
            return { name, tensor: grad };
          });
          return { loss: (await loss.data())[0] ?? NaN, grads: await toHostAll(named) };
        } finally {
          tf.dispose([loss, correct, ...Object.values(grads)]);
        }
      }),
    setLearningRate: (lr) => need().trainer.setLearningRate(lr),
    probe: (batch, at) =>
      withBatch(batch, (x, labels) => {
        const { model: m, variant: v } = need();
        return probeRun(m, v, x, labels, at);
      }),
    async saveState() {
      const { model: m, trainer: t } = need();
      const optimizer = await t.saveState();
      try {
        return {
          variables: await toHostAll(named(m.trainable)),
          moving: await toHostAll(named(m.movingStatistics)),
          optimizer: await toHostAll(optimizer),
        };
      } finally {
        tf.dispose(optimizer.map((s) => s.tensor));
      }
    },
    async loadState(state: EngineState) {
      const { model: m, trainer: t } = need();
      assignAll(state.variables, m.trainable, 'variables');
      assignAll(state.moving, m.movingStatistics, 'moving statistics');
      await t.loadState(state.optimizer.map((h) => ({ name: h.name, tensor: toTensor(h) })));
    },
    numTensors: () => Promise.resolve(tf.memory().numTensors),
    dispose() {
      trainer?.dispose();
      model?.dispose();
      trainer = null;
      model = null;
      variant = null;
      return Promise.resolve();
    },
  };
}

function named(vars: readonly NamedVariable[]): NamedTensor[] {
  return vars.map((v) => ({ name: v.name, tensor: v.variable }));
}

function toTensor(h: HostTensor): tf.Tensor {
  return tf.tensor(h.data, h.shape, h.dtype);
}

async function toHostAll(tensors: readonly NamedTensor[]): Promise<HostTensor[]> {
  const out: HostTensor[] = [];
  for (const { name, tensor } of tensors) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32')
      throw new Error(`tensor ${name} has unsupported dtype ${tensor.dtype}`);
    const data = (await tensor.data()) as Float32Array | Int32Array;
    out.push({ name, shape: [...tensor.shape], dtype: tensor.dtype, data });
  }
  return out;
}

/** Checks every name and shape first, so a mismatch changes nothing. */
function assignAll(entries: HostTensor[], vars: readonly NamedVariable[], what: string): void {
  if (entries.length !== vars.length)
    throw new Error(`${entries.length} ${what}, this model has ${vars.length}`);
  entries.forEach((entry, i) => {
    const v = vars[i]!;
    if (entry.name !== v.name || entry.shape.join('x') !== v.variable.shape.join('x')) {
      throw new Error(
        `${entry.name} [${entry.shape.join(', ')}] does not match ${v.name} [${v.variable.shape.join(', ')}]`,
      );
    }
  });
  entries.forEach((entry, i) => {
    const t = toTensor(entry);
    vars[i]!.variable.assign(t);
    t.dispose();
  });
}
