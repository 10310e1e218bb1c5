import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  loadWindowState,
  placeOnScreen,
  saveWindowState,
} from '../../../electron/window-state.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bnlab-state-'));
  file = path.join(dir, 'window-state.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('window state file', () => {
  it('round-trips size, position and maximized', async () => {
    const state = { width: 1111, height: 777, x: 40, y: 30, maximized: true };
    await saveWindowState(file, state);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
    expect(loadWindowState(file)).toEqual(state);
  });

  it('uses the defaults when there is no file yet, silently', () => {
    const warn = vi.fn();
    expect(loadWindowState(file, warn)).toEqual(DEFAULT_WINDOW_STATE);
    expect(warn).not.toHaveBeenCalled();
  });

  it('falls back to the defaults on a corrupt file, saying what was wrong', async () => {
    const warn = vi.fn();
    await writeFile(file, '{"width": 12');
    expect(loadWindowState(file, warn)).toEqual(DEFAULT_WINDOW_STATE);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('not JSON'));
    await writeFile(file, JSON.stringify({ width: 'wide', height: 700, maximized: false }));
    expect(loadWindowState(file, warn)).toEqual(DEFAULT_WINDOW_STATE);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('width'));
    await writeFile(file, JSON.stringify({ width: 50, height: 1e9, maximized: 'yes' }));
    expect(loadWindowState(file, warn)).toEqual(DEFAULT_WINDOW_STATE);
    const message = String(warn.mock.lastCall?.[0]);
    expect(message).toMatch(/width/);
    expect(message).toMatch(/height/);
    expect(message).toMatch(/maximized/);
  });

  it('forgets a position that is on no display any more', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const onScreen = { width: 1000, height: 700, x: 100, y: 100, maximized: false };
    expect(placeOnScreen(onScreen, screen)).toEqual(onScreen);
    const unplugged = { ...onScreen, x: 2500, y: 100 };
    expect(placeOnScreen(unplugged, screen)).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
});
