/**
 * `npm start`'s first step. `npm ci` leaves Electron's binary out (package.json's `allowScripts`
 * denies Electron's postinstall, so installs work offline); the first `npm start` fetches it with
 * Electron's own installer, and where that fails says in one line what is missing and how to get it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Fetched = { ok: true } | { ok: false; why: string };

export interface ElectronInstall {
  /** Electron's npm version, for the message. */
  readonly version: string;
  /** Whether Electron's binary is on disk (what `require('electron')` points at exists). */
  isInstalled(): boolean;
  /** Runs Electron's installer (downloads and unpacks the binary). */
  fetch(): Promise<Fetched>;
}

export type Ensured = { ok: true; fetched: boolean } | { ok: false; message: string };

/** Makes sure Electron's binary is there, fetching it once if it is not. */
export async function ensureElectron(install: ElectronInstall): Promise<Ensured> {
  if (install.isInstalled()) return { ok: true, fetched: false };
  console.log(`Electron ${install.version}'s binary is not installed yet; fetching it (once)…`);
  const result = await install.fetch();
  if (result.ok && install.isInstalled()) return { ok: true, fetched: true };
  const why = result.ok ? 'the installer finished but no binary is there' : result.why;
  return {
    ok: false,
    message:
      `npm start needs Electron ${install.version}'s binary, which is not installed and could not be fetched ` +
      `(${oneLine(why)}): connect to the internet and run \`npm start\` again, or run ` +
      '`node node_modules/electron/install.js` (ELECTRON_MIRROR picks a mirror); ' +
      '`npm run demo` and `npx bnlab serve` need no Electron.',
  };
}

function oneLine(text: string): string {
  const line = text
    .split('\n')
    .map((part) => part.trim())
    .find((part) => part !== '');
  return line ?? 'no reason given';
}

/** The real Electron package in node_modules and its postinstall script. */
export function nodeModulesElectron(): ElectronInstall {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('electron/package.json');
  const { version } = require(manifest) as { version: string };
  return {
    version,
    isInstalled: () => {
      try {
        // electron's index.js throws until the installer has written path.txt (a module that
        // threw is not cached, so the check after fetching loads it afresh).
        const binary = require('electron') as unknown;
        return typeof binary === 'string' && existsSync(binary);
      } catch {
        return false;
      }
    },
    fetch: () => runInstaller(path.join(path.dirname(manifest), 'install.js')),
  };
}

function runInstaller(script: string): Promise<Fetched> {
  // Without this variable's removal the installer would exit at once, doing nothing.
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ ok: false, why: error.message }));
    child.on('exit', (code, signal) =>
      resolve(
        code === 0
          ? { ok: true }
          : { ok: false, why: stderr || `the installer exited with ${signal ?? String(code)}` },
      ),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await ensureElectron(nodeModulesElectron());
  if (!result.ok) {
    console.error(result.message);
    process.exitCode = 3;
  }
}
