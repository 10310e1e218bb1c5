import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createAppProtocolHandler,
  registerAppScheme,
  resolveAppFile,
} from '../../../electron/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/security.js';

import { fakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

let root: string;
let rendererDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-protocol-'));
  rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>lab</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'export {}');
  await writeFile(path.join(root, 'secret.txt'), 'private');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    registerAppScheme();
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }) as unknown,
      }),
    ]);
  });

  it('serves the renderer with its content type and the CSP', async () => {
    const handle = createAppProtocolHandler(rendererDir);
    const page = await handle(new Request('app://lab/'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>lab</title>');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const script = await handle(new Request('app://lab/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript');
    expect((await handle(new Request('app://lab/assets/missing.js'))).status).toBe(404);
  });

  it('refuses traversal out of the renderer folder and foreign hosts', async () => {
    const handle = createAppProtocolHandler(rendererDir);
    for (const url of [
      'app://lab/%2e%2e/secret.txt',
      'app://lab/..%2fsecret.txt',
      'app://lab/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://lab/..%5csecret.txt',
      'app://lab/%00index.html',
      'app://other/index.html',
    ]) {
      expect(resolveAppFile(rendererDir, url), url).toBeNull();
      // A Request folds plain "%2e%2e/" segments away before the handler sees it (so does
      // Chromium): those arrive as a file that is not there; the rest are refused outright.
      const response = await handle(new Request(url));
      expect([403, 404], url).toContain(response.status);
      expect(await response.text()).not.toContain('private');
    }
    expect((await handle(new Request('app://lab/..%2fsecret.txt'))).status).toBe(403);
    expect(resolveAppFile(rendererDir, 'app://lab/assets/app.js')).toBe(
      path.join(rendererDir, 'assets', 'app.js'),
    );
  });
});
