/**
 * Browser mode in-process for a test: a real lab (`createLab`, real trainer processes) in a
 * fresh temporary home, served by the real `startServer` with the built renderer.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLab } from '../../../main/lab/service.js';
import type { Lab } from '../../../main/lab/types.js';
import { startServer, type RunningServer } from '../../../main/server/index.js';

export const RENDERER_DIR = path.resolve('out/renderer');

export interface LabServer {
  lab: Lab;
  server: RunningServer;
  home: string;
  /** Stops the server, the lab (and its trainers), and removes the home. */
  close(): Promise<void>;
}

/** Starts a lab in `home` (a fresh temp dir when absent) behind a browser-mode server. */
export async function startLabServer(
  options: { home?: string; lab?: (home: string) => Promise<Lab> } = {},
): Promise<LabServer> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${RENDERER_DIR}/index.html missing): run \`npm run build:renderer\` (npm run test:e2e does).`,
    );
  }
  const home = options.home ?? mkdtempSync(path.join(tmpdir(), 'bnlab-e2e-'));
  const lab = await (options.lab ?? ((h) => createLab({ home: h, mode: 'browser', parallel: 2 })))(
    home,
  );
  const server = await startServer({ lab, staticDir: RENDERER_DIR });
  return {
    lab,
    server,
    home,
    async close() {
      await server.close();
      await lab.close();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
