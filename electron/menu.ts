/**
 * The application menu. Its lab commands go to the main process (electron/main.ts), which sends
 * the renderer a `lab:menu` action (main/api/menu-actions.ts) — after the native open dialog,
 * for import. Export Report… is enabled only while a view on screen handles it (the renderer
 * reports which do, `lab:menu-state`); New and Import always work, they open their own view.
 */
import type { Menu, MenuItemConstructorOptions } from 'electron';
import type { MenuActionKind, MenuCommand } from './lab-bridge.js';

/** Menu items (by `id`, the action kind they send) enabled only while a view handles them. */
export const VIEW_DEPENDENT_ITEMS = ['export-report'] as const satisfies readonly MenuCommand[];

/**
 * Enables each view-dependent item of `menu` whose action kind is in `handled` and disables the
 * others (Electron ignores a disabled item's click and accelerator).
 */
export function applyMenuState(
  menu: Pick<Menu, 'getMenuItemById'>,
  handled: readonly MenuActionKind[],
): void {
  for (const id of VIEW_DEPENDENT_ITEMS) {
    const item = menu.getMenuItemById(id);
    if (item) item.enabled = handled.includes(id);
  }
}

/** The menu template; `send` carries out a lab command. */
export function menuTemplate(
  send: (command: MenuCommand) => void,
  platform = process.platform,
): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Experiment…', accelerator: 'CmdOrCtrl+N', click: () => send('new-experiment') },
      {
        label: 'Open / Import Experiment File…',
        accelerator: 'CmdOrCtrl+O',
        click: () => send('import-experiment'),
      },
      {
        id: 'export-report',
        label: 'Export Report…',
        accelerator: 'CmdOrCtrl+E',
        // The app starts in the Library, which has no report to export.
        enabled: false,
        click: () => send('export-report'),
      },
      { type: 'separator' },
      platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    file,
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return platform === 'darwin' ? [{ role: 'appMenu' }, ...template] : template;
}
