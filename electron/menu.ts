/**
 * The application menu. Its lab commands go to the main process (electron/main.ts), which sends
 * the renderer a `lab:menu` action (main/api/menu-actions.ts) — after the native open dialog,
 * for import.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './lab-bridge.js';

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
      { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', click: () => send('export-report') },
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
