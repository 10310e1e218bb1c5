import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from '../../../electron/menu.js';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? items(item.submenu) : []),
  ]);
}

describe('application menu', () => {
  it('offers new experiment, import, export and quit, sending commands to the main process', () => {
    const send = vi.fn();
    const all = items(menuTemplate(send, 'linux'));
    const click = (label: string) => {
      const item = all.find((i) => i.label?.startsWith(label));
      expect(item, label).toBeDefined();
      (item?.click as () => void)();
    };
    click('New Experiment');
    click('Open / Import Experiment File');
    click('Export Report');
    expect(send.mock.calls).toEqual([['new-experiment'], ['import-experiment'], ['export-report']]);
    expect(all.some((i) => i.role === 'quit')).toBe(true);
  });

  it('starts with Export Report… disabled (the Library has no report), found by its id', () => {
    const all = items(menuTemplate(vi.fn(), 'linux'));
    const exportItem = all.find((i) => i.id === 'export-report');
    expect(exportItem?.label).toBe('Export Report…');
    expect(exportItem?.enabled).toBe(false);
    for (const label of ['New Experiment…', 'Open / Import Experiment File…']) {
      expect(all.find((i) => i.label === label)?.enabled, label).not.toBe(false);
    }
  });

  it('starts with the app menu on macOS', () => {
    expect(menuTemplate(vi.fn(), 'darwin')[0]?.role).toBe('appMenu');
  });
});
