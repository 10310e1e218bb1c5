import { require as tsxRequire } from 'tsx/cjs/api';

let done = false;

/**
 * Registers tfjs-core's gradient functions (idempotent). tfjs-core's CommonJS bundle, which Node
 * loads for `@tensorflow/tfjs-core`, registers none; only the `@tensorflow/tfjs` umbrella does,
 * and its ESM `dist/register_all_gradients.js` uses extensionless imports that Node's ESM
 * resolver rejects. tsx's CommonJS loader (already how this project runs TypeScript) resolves
 * them, and the gradients land in the global registry shared with the CommonJS bundle.
 */
export function registerTfjsGradients(): void {
  if (done) return;
  tsxRequire('@tensorflow/tfjs-core/dist/register_all_gradients.js', import.meta.url);
  done = true;
}
