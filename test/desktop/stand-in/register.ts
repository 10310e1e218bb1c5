/**
 * `node --import <tsx> --import ./register.ts out/electron/main.js`: resolves the bare
 * specifier `electron` to the stand-in (electron.ts) for the app process. Everything else
 * resolves as usual, so the built bundle runs as it was built.
 */
import { register } from 'node:module';

const target = new URL('./electron.ts', import.meta.url).href;
const hook = `
export async function resolve(specifier, context, next) {
  // Passed on, not short-circuited: tsx's resolver marks the file as TypeScript.
  return next(specifier === 'electron' ? ${JSON.stringify(target)} : specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
// The control channel listens from the start, before the app's first dialog or menu.
await import('./control.js');
