/**
 * Browser mode's server: the built renderer over HTTP and the lab's API over a WebSocket at
 * `/api`, both behind a random session token. Binds 127.0.0.1 unless told otherwise.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LabHandlers, ResultOf } from '../api/contract.js';
import { TOKEN_PARAM } from '../api/ws-protocol.js';
import type { Lab } from '../lab/types.js';
import { createAccessPolicy, createToken, hostPort } from './access.js';
import { handleHttp } from './http.js';
import { createSocketEndpoint } from './socket.js';

export interface ServerOptions {
  /** The lab to serve (its home holds `reports/`). */
  lab: Pick<Lab, 'home' | 'handlers' | 'subscribe'>;
  /** The built renderer (e.g. `out/renderer`), served at `/`. */
  staticDir: string;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Session token; a random 32-byte one by default. */
  token?: string;
}

export interface RunningServer {
  /** The page to open, token included: `http://host:port/?token=…`. */
  url: string;
  token: string;
  port: number;
  host: string;
  /** Closes every WebSocket and the HTTP server; does not close the lab. */
  close(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** Starts the server and resolves once it listens; rejects when the port cannot be bound. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const reportsDir = path.join(options.lab.home, 'reports');
  const downloads = new Set<string>();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const policy = createAccessPolicy(host, port);
  const handlers = withDownloadUrls(options.lab.handlers, reportsDir, token, downloads);
  const endpoint = createSocketEndpoint({
    handlers,
    subscribe: (l) => options.lab.subscribe(l),
    token,
    policy,
  });
  const staticDir = path.resolve(options.staticDir);
  server.on(
    'request',
    (req, res) => void handleHttp({ staticDir, reportsDir, token, policy, downloads }, req, res),
  );
  server.on('upgrade', (req, socket, head) => endpoint.handleUpgrade(req, socket, head));
  // A wildcard bind has no single name; the loopback one works on this machine.
  const urlHost = hostPort(WILDCARD.has(host) ? '127.0.0.1' : host, port);
  return {
    url: `http://${urlHost}/?${TOKEN_PARAM}=${token}`,
    token,
    port,
    host,
    async close() {
      await endpoint.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Wraps `reports.export` and `reports.compare` so a report written to `<home>/reports/` becomes a
 * download: its name is remembered (only such names are served) and `downloadUrl` is filled in.
 */
function withDownloadUrls(
  handlers: LabHandlers,
  reportsDir: string,
  token: string,
  downloads: Set<string>,
): LabHandlers {
  const asDownload = (result: ResultOf<'reports.export'>): ResultOf<'reports.export'> => {
    if (
      result.path === null ||
      path.dirname(path.resolve(result.path)) !== path.resolve(reportsDir)
    )
      return result;
    const name = path.basename(result.path);
    downloads.add(name);
    return {
      ...result,
      downloadUrl: `/reports/${encodeURIComponent(name)}?${TOKEN_PARAM}=${token}`,
    };
  };
  const exportReport: LabHandlers['reports.export'] = async (params) =>
    asDownload(await handlers['reports.export'](params));
  const compareReport: LabHandlers['reports.compare'] = async (params) =>
    asDownload(await handlers['reports.compare'](params));
  // The lab's handlers stay the prototype, so a handlers object with inherited methods keeps them.
  return Object.assign(Object.create(handlers) as LabHandlers, {
    'reports.export': exportReport,
    'reports.compare': compareReport,
  });
}
