/** Browser mode: `serve` (the `bnlab serve` command) and `startServer` (tests, embedding). */
export { serve, defaultStaticDir, type ServeOptions, type Serving } from './serve.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
