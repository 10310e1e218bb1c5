/**
 * Browser mode's connection: the session token is required, and the page survives a server
 * restart (status bar says so, then reconnects).
 */
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startServer } from '../../main/server/index.js';
import { screenshot } from './helpers/browser.js';
import { RENDERER_DIR } from './helpers/lab-server.js';
import { closeBrowser, POLL, withLab } from './helpers/session.js';

afterAll(closeBrowser);

describe('browser mode: connection', () => {
  test('a page or a socket without the session token is refused', async () => {
    await withLab(async ({ server }, page) => {
      const base = `http://${server.host}:${server.port}`;
      await page.goto(`${base}/`);
      await expect
        .poll(() => page.getByTestId('connection-error').textContent())
        .toContain('session token');
      await expect
        .poll(() => page.getByTestId('connection-state').textContent())
        .toContain('not connected');
      await screenshot(page, 'refused-no-token');

      await page.goto(`${base}/?token=not-the-token`);
      await expect
        .poll(() => page.getByTestId('connection-error').textContent(), POLL)
        .toContain('Cannot reach the lab server');
      await expect
        .poll(() => page.getByTestId('connection-state').textContent())
        .toMatch(/disconnected|reconnecting/);
      await screenshot(page, 'refused-wrong-token');

      const status = await new Promise<number | string>((resolve) => {
        const ws = new WebSocket(`ws://${server.host}:${server.port}/api`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve('open'));
        ws.on('error', (e) => resolve(e.message));
      });
      expect(status).toBe(403);
    });
  });

  test('the status bar says "disconnected" while the server is gone, and the page reconnects', async () => {
    await withLab(async ({ lab, server }, page) => {
      await page.goto(server.url);
      const state = page.getByTestId('connection-state');
      await expect.poll(() => state.textContent()).toContain('connected');
      await page.getByTestId('library-empty').waitFor();

      await server.close();
      await expect.poll(() => state.textContent(), POLL).toMatch(/disconnected|reconnecting/);
      await screenshot(page, 'disconnected');

      // The same port and token again, as a restarted `bnlab serve --port` with that link would be.
      const again = await startServer({
        lab,
        staticDir: RENDERER_DIR,
        port: server.port,
        token: server.token,
      });
      try {
        await expect.poll(() => state.textContent(), POLL).toMatch(/^\W*connected/);
        await page.getByTestId('library-empty').waitFor();
      } finally {
        await again.close();
      }
    });
  });
});
