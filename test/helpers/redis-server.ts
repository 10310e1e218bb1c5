/**
 * A real `redis-server` (Debian's package) for the queue tests: on a free port, with its data in
 * a temporary folder, never a system service. `persistent` turns on the append-only file (fsync
 * at every write) so that a server killed and started again keeps its queue. `tls` needs a
 * redis-server built with TLS (Debian's is).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: the server dies without saving anything. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and folder. */
  restart(): Promise<void>;
  /** Kills the server and removes its folder. */
  stop(): Promise<void>;
}

/** `tls`: serve TLS only (rediss://), with this certificate and key (PEM files). */
export async function startRedis(
  options: { persistent?: boolean; password?: string; tls?: { cert: string; key: string } } = {},
): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'bnlab-redis-'));
  const port = await freePort();
  const { tls } = options;
  const args = [
    ...(tls
      ? [
          ...['--port', '0', '--tls-port', String(port)],
          ...['--tls-cert-file', tls.cert, '--tls-key-file', tls.key],
          ...['--tls-auth-clients', 'no'],
        ]
      : ['--port', String(port)]),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(options.persistent
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
  ];
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      started.stdout?.on('data', onData);
      started.once('error', reject);
      started.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)),
      );
    });
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `${tls ? 'rediss' : 'redis'}://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    port,
    kill,
    restart: start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
