/** The seed presentation's claims the lab can test, quoted, and the shape of a checked claim. */
import type { Verdict } from './claim-verdict.js';

export interface Claim {
  id: string;
  /** The slide's words. */
  quote: string;
  /** Slide title. */
  slide: string;
}

export interface ClaimCheck {
  claim: Claim;
  /** What was compared, e.g. "bn-before vs no-bn". */
  comparison: string;
  /** What this experiment measured, in one sentence with its numbers. */
  measured: string;
  verdict: Verdict;
  /** Why this verdict (seeds that agree, too few seeds, missing measure). */
  why: string;
}

export const CLAIMS = {
  bnSpeed: {
    id: 'bn-speed',
    quote: 'Batch Normalization is very powerful to speed-up training.',
    slide: 'Conclusion',
  },
  bnRegularize: {
    id: 'bn-regularize',
    quote: 'Batch Normalization is very powerful to … regularize the network.',
    slide: 'Conclusion; Regularization',
  },
  bnBefore: {
    id: 'bn-before',
    quote: 'Batch Normalization should be placed before the activation functions.',
    slide: 'BN Experiment 1: A simple CNN Model',
  },
  bnResnet: {
    id: 'bn-resnet',
    quote: 'The benefit of Batch Normalization is still there [in ResNet-20].',
    slide: 'BN Experiment 3: A ResNet20 Model',
  },
  neverDie: {
    id: 'bn-never-die',
    quote: 'If we normalize the outputs of this neuron … the neuron will never die.',
    slide: 'Speed up in Training',
  },
  deadNoUpdate: {
    id: 'dead-no-update',
    quote: 'If a neuron almost always outputs 0, it very rarely updates.',
    slide: 'Speed up in Training',
  },
  linear: {
    id: 'bn-linear',
    quote:
      'These functions are similar to the identity function near 0. By rescaling the outputs with Batch Normalization, we could end up canceling the non-linearity.',
    slide: 'Negative effects',
  },
  identity: {
    id: 'bn-identity',
    quote:
      'γ and β are trainable parameters that give the Batch Normalization operation the flexibility to become the identity function.',
    slide: 'Batch Normalization',
  },
  noTuning: {
    id: 'bn-no-tuning',
    quote:
      'Experiments suggest it can be universally applied with next to no downside or parameter tuning.',
    slide: 'Conclusion',
  },
  dropoutTrainLoss: {
    id: 'dropout-train-loss',
    quote: 'The training loss is higher when applying Dropout …',
    slide: 'Dropout Experiment 1: A simple CNN Model',
  },
  dropoutValidation: {
    id: 'dropout-validation',
    quote: '… the validation loss and accuracy are better, highlighting its regularisation effect.',
    slide: 'Dropout Experiment 1: A simple CNN Model',
  },
  dropoutUnderfit: {
    id: 'dropout-underfit',
    quote:
      'Dropout can induce underfitting if the probability of dropping a connection is too high.',
    slide: 'Dropout Experiment 2: A Deeper CNN Model',
  },
  ensemble: {
    id: 'dropout-ensemble',
    quote:
      'The final prediction is the averaged prediction of up to 2ⁿ thinned versions of this network.',
    slide: 'Mechanism (Dropout)',
  },
} as const satisfies Record<string, Claim>;
