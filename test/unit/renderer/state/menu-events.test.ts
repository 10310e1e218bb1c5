import { describe, expect, test } from 'vitest';
import type { MenuAction } from '../../../../main/api/menu-actions.js';
import { MenuEvents } from '../../../../renderer/state/menu-events.js';

const exportReport: MenuAction = { kind: 'export-report' };
const importFile: MenuAction = { kind: 'import-experiment', file: { name: 'e.json', text: '{}' } };

describe('menu actions are events', () => {
  test('an action reaches the handler of its kind once, and is not replayed to later handlers', () => {
    const events = new MenuEvents();
    const seen: string[] = [];
    const stop = events.handle('export-report', (a) => seen.push(`first ${a.kind}`));
    events.dispatch(exportReport);
    events.dispatch({ kind: 'new-experiment' });
    stop();
    events.handle('export-report', (a) => seen.push(`second ${a.kind}`));
    expect(seen).toEqual(['first export-report']);
  });

  test('an export with no experiment on screen is dropped, not kept for the next one', () => {
    const events = new MenuEvents();
    events.dispatch(exportReport);
    const seen: unknown[] = [];
    events.handle('export-report', (a) => seen.push(a));
    expect(seen).toEqual([]);
  });

  test('an import waits for the Library to mount, then is delivered once', () => {
    const events = new MenuEvents();
    events.dispatch(importFile, { hold: true });
    const seen: unknown[] = [];
    const stop = events.handle('import-experiment', (a) => seen.push(a));
    stop();
    events.handle('import-experiment', (a) => seen.push(a));
    expect(seen).toEqual([importFile]);
  });

  test('a newer action replaces a held one', () => {
    const events = new MenuEvents();
    events.dispatch(importFile, { hold: true });
    events.dispatch({ kind: 'new-experiment' });
    const seen: unknown[] = [];
    events.handle('import-experiment', (a) => seen.push(a));
    expect(seen).toEqual([]);
  });

  test('an unmounted view no longer receives actions', () => {
    const events = new MenuEvents();
    const seen: unknown[] = [];
    events.handle('export-report', (a) => seen.push(a))();
    events.dispatch(exportReport);
    expect(seen).toEqual([]);
  });

  test('reports the kinds handled whenever a view starts or stops handling one', () => {
    const reports: string[][] = [];
    const events = new MenuEvents((handled) => reports.push([...handled].sort()));
    const stopImport = events.handle('import-experiment', () => undefined);
    const stopExport = events.handle('export-report', () => undefined);
    // A second view of the same kind replaces the first: the set does not change, no report.
    const stopNewExport = events.handle('export-report', () => undefined);
    stopExport();
    expect(reports).toEqual([['import-experiment'], ['export-report', 'import-experiment']]);
    stopNewExport();
    stopImport();
    expect(reports.slice(2)).toEqual([['import-experiment'], []]);
    expect(events.handled).toEqual([]);
  });
});
