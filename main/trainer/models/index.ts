/**
 * Model factory: `buildModel(variant, input, seed)` lays out one of the three architectures with
 * seeded weights and returns its forward function, variables and summary.
 */
import type { VariantSpec } from '../../api/config.js';
import { assertNever } from '../../api/events.js';
import { buildPlainCnn } from './cnn.js';
import { ParamStore } from './params.js';
import { buildResnet20, RESNET_FIXUP_NOTE, RESNET_SHORTCUT_NOTE } from './resnet.js';
import type { InputSpec, Model } from './types.js';

export type { ActivationTap, ForwardOptions, InputSpec, Model, NamedVariable } from './types.js';
export { deriveSeed } from './seeds.js';

/** Builds the variant's network for images of `input` shape; initial weights depend only on `seed` and layer names. */
export function buildModel(variant: VariantSpec, input: InputSpec, seed: number): Model {
  const store = new ParamStore(seed);
  const notes: string[] = [];
  let network;
  try {
    switch (variant.architecture) {
      case 'simple-cnn':
      case 'deeper-cnn':
        network = buildPlainCnn(store, variant, input);
        break;
      case 'resnet20':
        network = buildResnet20(store, variant, input);
        notes.push(RESNET_SHORTCUT_NOTE);
        if (variant.bn === 'none') notes.push(RESNET_FIXUP_NOTE);
        break;
      default:
        return assertNever(variant.architecture);
    }
  } catch (error) {
    store.dispose();
    throw error;
  }
  notes.push(
    'init: He normal before ReLU, Glorot uniform before tanh/sigmoid and for the classifier; seeded by (run seed, layer name)',
    `bn: ${variant.bn}, momentum ${variant.bnMomentum} (moving = m·moving + (1−m)·batch), epsilon ${variant.bnEpsilon}`,
  );
  const count = (vars: readonly { variable: { size: number } }[]): number =>
    vars.reduce((n, v) => n + v.variable.size, 0);
  return {
    summary: {
      architecture: variant.architecture,
      inputShape: [input.height, input.width, input.channels],
      layers: store.layers,
      trainableParams: count(store.trainable),
      nonTrainableParams: count(store.moving),
      flopsPerImage: 2 * store.macs,
      notes,
    },
    trainable: store.trainable,
    movingStatistics: store.moving,
    forward: network.forward,
    head: network.head,
    dispose: () => store.dispose(),
  };
}
