/**
 * zod without eval. zod compiles object parsers with `new Function` when a probe says eval is
 * allowed; under the app's `script-src 'self'` (Electron checklist #7) the probe itself is a CSP
 * violation, logged at every start. Jitless parsing needs no eval and no probe. main.ts imports
 * this module first, before any schema parses.
 */
import { z } from 'zod';

z.config({ jitless: true });
