/**
 * `bnlab serve`: creates the lab in browser mode, starts the server, prints the URL (token
 * included) and closes both on SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../lab/service.js';
import { redactUrl } from '../queue/connection.js';
import { RemoteRuns, REMOTE_PARALLEL } from '../queue/remote-runs.js';
import { isLoopbackHost } from './access.js';
import { startServer, type RunningServer } from './server.js';

export interface ServeOptions {
  /** Lab home (absolute), resolved by the CLI from --home / BNLAB_HOME / the default. */
  home: string;
  host?: string;
  port?: number;
  /** Open the page in the default browser. */
  open?: boolean;
  /** The built renderer; default `<repo>/out/renderer`. */
  staticDir?: string;
  /** Runs trained at once; absent: BNLAB_PARALLEL, else decided from the machine. */
  parallel?: number;
  /** Queue runs for `bnlab worker`s through this Redis instead of training here. */
  redis?: string;
  /** Where messages go (default stdout / stderr). */
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

/** The built renderer next to this source tree: `<repo>/out/renderer`. */
export function defaultStaticDir(): string {
  return fileURLToPath(new URL('../../out/renderer', import.meta.url));
}

export interface Serving extends RunningServer {
  /** Closes the server, then the lab (running trainers become `interrupted`). */
  stop(): Promise<void>;
}

/**
 * Runs browser mode until SIGINT/SIGTERM (which stop it and exit the process); resolves once the
 * server listens. Throws when the renderer is not built or the port cannot be bound.
 */
export async function serve(options: ServeOptions): Promise<Serving> {
  const log = options.log ?? ((line: string) => console.log(line));
  const warn = options.warn ?? ((line: string) => console.error(line));
  const staticDir = options.staticDir ?? defaultStaticDir();
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(
      `the renderer is not built: ${path.join(staticDir, 'index.html')} is missing; run \`npm run build:renderer\` first`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const remote = options.redis ? await RemoteRuns.open({ redisUrl: options.redis, warn }) : null;
  const lab = await createLab({
    home: options.home,
    mode: 'browser',
    // With workers, every run is queued at once; their concurrency bounds the training.
    parallel: remote ? REMOTE_PARALLEL : options.parallel,
    // --redis decides for the session; without it the Settings view does (saved in the home).
    ...(remote && options.redis
      ? { launcher: remote.launcher, queueUrl: options.redis }
      : { settings: { readOnlyReason: settingsReadOnlyReason(host) } }),
  }).catch(async (error: unknown) => {
    await remote?.close();
    throw error;
  });
  let server: RunningServer;
  try {
    server = await startServer({ lab, staticDir, host, port: options.port ?? 0 });
  } catch (error) {
    await lab.close();
    await remote?.close();
    throw error;
  }
  if (!isLoopbackHost(host)) {
    warn(
      `warning: listening on ${host}, not on this machine only; anyone on that network who has the ` +
        'URL (with its token) can drive the lab and read its runs.',
    );
    if (['0.0.0.0', '::', '[::]'].includes(host)) {
      warn("from another machine, use this machine's address in place of 127.0.0.1 in the URL.");
    }
  }
  log(`BN·Dropout Lab (browser mode), lab home ${options.home}`);
  if (remote && options.redis)
    log(`runs are queued on ${redactUrl(options.redis)} for bnlab workers`);
  else {
    const info = await lab.handlers['lab.info']({});
    log(`training ${info.parallel} run(s) at once: ${info.parallelReason}`);
  }
  log(`open ${server.url}`);
  log('press Ctrl+C to stop');
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= server
      .close()
      .then(() => lab.close())
      .finally(() => remote?.close())
      .finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }));
  const onSignal = (): void => {
    log('stopping…');
    stop()
      .catch((error: unknown) => warn(`error while stopping: ${String(error)}`))
      // The command's work is done; lingering handles (timers, sockets) must not keep it alive.
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (options.open) openInBrowser(server.url, warn);
  return { ...server, stop };
}

/**
 * Browser mode changes the Redis setting only when it listens on loopback: then a client is on
 * this machine (or comes through an SSH tunnel) and has the token. Served to a network, a client
 * could point the lab at any Redis (and send it every run's config), so the setting is read-only.
 */
export function settingsReadOnlyReason(host: string): string | null {
  return isLoopbackHost(host)
    ? null
    : `bnlab serve listens on ${host}, not on this machine only; change it in the desktop app or in a bnlab serve on 127.0.0.1`;
}

/** Opens a URL with the platform's opener; a failure is a warning, never fatal. */
export function openInBrowser(url: string, warn: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (error) =>
      warn(`could not open a browser (${error.message}); open the URL yourself`),
    );
    child.unref();
  } catch (error) {
    warn(`could not open a browser (${String(error)}); open the URL yourself`);
  }
}
