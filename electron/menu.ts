/**
 * The application menu. Lab actions are sent to the renderer as `lab:menu` messages
 * (electron/lab-bridge.ts `MenuAction`); the renderer opens the matching view.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from './lab-bridge.js';

/** The menu template; `send` delivers an action to the renderer. */
export function menuTemplate(
  send: (action: MenuAction) => void,
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
