/**
 * `Menu`: the template is built into items as Electron does (test/helpers/built-menu.ts, shared
 * with the unit tests' fake), and the test clicks items by their label path
 * or presses their accelerator. A disabled item's click and accelerator do nothing, as in
 * Electron. Role items do what the app relies on (`quit`, `close`); the others (edit, zoom,
 * window) are no-ops.
 */
import { StandInBrowserWindow } from './browser-window.js';
import { onCommand, report } from './control.js';
import { BuiltMenu, type BuiltMenuItem, type MenuTemplateItem } from '../../helpers/built-menu.js';

type Item = BuiltMenuItem;

let applicationMenu: BuiltMenu | null = null;
let quitApp: () => void = () => undefined;

/** The app stand-in registers its quit here (menu.ts loads before app.ts may). */
export function onQuitRole(quit: () => void): void {
  quitApp = quit;
}

export const Menu = {
  buildFromTemplate: (template: MenuTemplateItem[]) => new BuiltMenu(template),
  setApplicationMenu(menu: BuiltMenu | null): void {
    applicationMenu = menu;
  },
  getApplicationMenu: () => applicationMenu,
};

const name = (item: Item) => (item.label ?? item.role ?? '').replace(/&/g, '');

function find(path: string[]): Item | null {
  let items: Item[] = applicationMenu?.items ?? [];
  let found: Item | null = null;
  for (const label of path) {
    found = items.find((item) => name(item).toLowerCase() === label.toLowerCase()) ?? null;
    if (!found) return null;
    items = found.submenu?.items ?? [];
  }
  return found;
}

function byAccelerator(accelerator: string, items = applicationMenu?.items ?? []): Item | null {
  for (const item of items) {
    if (item.accelerator === accelerator) return item;
    const inner = item.submenu ? byAccelerator(accelerator, item.submenu.items) : null;
    if (inner) return inner;
  }
  return null;
}

function click(item: Item, triggeredByAccelerator: boolean): void {
  // Electron neither runs a disabled item's click nor fires its accelerator.
  if (!item.enabled) return;
  const window = StandInBrowserWindow.getFocusedWindow();
  if (item.click) return item.click(item, window, { triggeredByAccelerator });
  if (item.role === 'quit') return quitApp();
  if (item.role === 'close') return window?.close();
}

function act(id: number, item: Item | null, missing: string, byAccelerator: boolean): void {
  if (!item) return report({ kind: 'menu-clicked', id, error: missing });
  try {
    click(item, byAccelerator);
    report({ kind: 'menu-clicked', id, error: null });
  } catch (error) {
    report({ kind: 'menu-clicked', id, error: String(error) });
  }
}

onCommand('menu-click', ({ id, path }) =>
  act(id, find(path), `no menu item ${path.join(' → ')}`, false),
);

onCommand('menu-accelerator', ({ id, accelerator }) =>
  act(id, byAccelerator(accelerator), `no menu item has the accelerator ${accelerator}`, true),
);

onCommand('menu-item', ({ id, path }) => {
  const item = find(path);
  report({
    kind: 'menu-item',
    id,
    enabled: item?.enabled ?? null,
    error: item ? null : `no menu item ${path.join(' → ')}`,
  });
});
