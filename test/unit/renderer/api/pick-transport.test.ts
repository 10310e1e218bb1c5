import { describe, expect, test } from 'vitest';
import { pickConnection, webSocketUrl } from '../../../../renderer/api/pick-transport.js';
import { FakeTransport } from '../fake-transport.js';

const location = (search: string) => ({ protocol: 'http:', host: '127.0.0.1:4321', search });

describe('webSocketUrl', () => {
  test('carries the page token to the /api endpoint, escaped', () => {
    expect(webSocketUrl(location('?token=a%2Bb/c'))).toBe(
      'ws://127.0.0.1:4321/api?token=a%2Bb%2Fc',
    );
  });
  test('is null without a token', () => {
    expect(webSocketUrl(location(''))).toBeNull();
    expect(webSocketUrl(location('?other=1'))).toBeNull();
  });
});

describe('pickConnection', () => {
  test("uses the preload's window.lab when present, and calls go through it", async () => {
    const transport = new FakeTransport().on('lab.info', () => ({
      appVersion: '1.0.0',
      home: '/h',
      mode: 'electron',
      backends: [],
      autoBackend: 'wasm',
      autoBackendReason: 'no native TensorFlow',
      parallel: 1,
      parallelReason: 'set by --parallel',
    }));
    const states: string[] = [];
    const win = { lab: transport, location: location('') } as unknown as Window;
    const connection = pickConnection(win, {
      onState: (s) => states.push(s.kind),
      onReconnect: () => {},
    });
    expect(connection.kind).toBe('electron');
    if (connection.kind !== 'electron') return;
    const info = await connection.client.call('lab.info', {});
    expect(info.autoBackend).toBe('wasm');
    expect(transport.calls).toEqual([{ method: 'lab.info', params: {} }]);
    expect(states).toEqual(['open']);
  });

  test("forwards the application menu's known actions and ignores others", () => {
    let send: ((action: unknown) => void) | null = null;
    const bridge = Object.assign(new FakeTransport(), {
      onMenu: (listener: (action: unknown) => void) => {
        send = listener;
        return () => (send = null);
      },
    });
    const win = { lab: bridge, location: location('') } as unknown as Window;
    const connection = pickConnection(win, { onState: () => {}, onReconnect: () => {} });
    if (connection.kind !== 'electron' || !connection.onMenu)
      throw new Error('expected a menu source');
    const actions: unknown[] = [];
    connection.onMenu((a) => actions.push(a));
    const deliver = send as ((action: unknown) => void) | null;
    const file = { name: 'e.json', text: '{}' };
    deliver?.({ kind: 'export-report' });
    deliver?.({ kind: 'import-experiment', file });
    deliver?.({ kind: 'format-disk' });
    deliver?.({ kind: 'import-experiment' });
    deliver?.('export-report');
    expect(actions).toEqual([{ kind: 'export-report' }, { kind: 'import-experiment', file }]);
  });

  test("reports the handled menu actions through the preload's reportMenuState, when it has one", () => {
    const reports: unknown[] = [];
    const bridge = Object.assign(new FakeTransport(), {
      reportMenuState: (handled: readonly string[]) => reports.push(handled),
    });
    const win = { lab: bridge, location: location('') } as unknown as Window;
    const connection = pickConnection(win, { onState: () => {}, onReconnect: () => {} });
    if (connection.kind !== 'electron') throw new Error('expected the preload transport');
    connection.reportMenuState?.(['export-report']);
    expect(reports).toEqual([['export-report']]);
    // A window.lab without it (a plain transport): nothing to report to, nothing breaks.
    const plain = { lab: new FakeTransport(), location: location('') } as unknown as Window;
    const without = pickConnection(plain, { onState: () => {}, onReconnect: () => {} });
    expect(without.kind === 'electron' && without.reportMenuState).toBeNull();
  });

  test('without window.lab and without a token it says to open the printed link', () => {
    const win = { location: location('') } as unknown as Window;
    const connection = pickConnection(win, { onState: () => {}, onReconnect: () => {} });
    expect(connection.kind).toBe('no-token');
    if (connection.kind === 'no-token') expect(connection.message).toContain('bnlab serve');
  });

  test('a malformed result from the transport is an error, not data', async () => {
    const transport = new FakeTransport().on('runs.list', () => [{ id: 'x' }]);
    const win = { lab: transport, location: location('') } as unknown as Window;
    const connection = pickConnection(win, { onState: () => {}, onReconnect: () => {} });
    if (connection.kind !== 'electron') throw new Error('expected the preload transport');
    await expect(connection.client.call('runs.list', {})).rejects.toThrow(
      /malformed result of runs.list/,
    );
  });
});
