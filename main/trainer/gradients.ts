/**
 * Registers tfjs's gradient functions. `@tensorflow/tfjs-core`'s Node build ships without them
 * (the union package `@tensorflow/tfjs` registers them), and its per-file ESM build cannot be
 * loaded by Node, so importing the union package once is how a tfjs-core program gets gradients.
 * Import this module for its side effect before computing any gradient.
 */
import '@tensorflow/tfjs';
