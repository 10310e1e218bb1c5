/**
 * `Menu`: the template is kept as built, and the test clicks items by their label path. Role
 * items do what the app relies on (`quit`, `close`); the others (edit, zoom, window) are no-ops.
 */
import { StandInBrowserWindow } from './browser-window.js';
import { onCommand, report } from './control.js';

interface Item {
  label?: string;
  role?: string;
  type?: string;
  submenu?: Item[] | StandInMenu;
  click?: (item: Item, window: unknown, event: unknown) => void;
}

export class StandInMenu {
  constructor(readonly items: Item[]) {}
}

let applicationMenu: StandInMenu | null = null;
let quitApp: () => void = () => undefined;

/** The app stand-in registers its quit here (menu.ts loads before app.ts may). */
export function onQuitRole(quit: () => void): void {
  quitApp = quit;
}

export const Menu = {
  buildFromTemplate: (template: Item[]) => new StandInMenu(template),
  setApplicationMenu(menu: StandInMenu | null): void {
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
    const sub = found.submenu;
    items = sub instanceof StandInMenu ? sub.items : (sub ?? []);
  }
  return found;
}

function click(item: Item): void {
  const window = StandInBrowserWindow.getFocusedWindow();
  if (item.click) return item.click(item, window, { triggeredByAccelerator: false });
  if (item.role === 'quit') return quitApp();
  if (item.role === 'close') return window?.close();
}

onCommand('menu-click', ({ id, path }) => {
  const item = find(path);
  if (!item) return report({ kind: 'menu-clicked', id, error: `no menu item ${path.join(' → ')}` });
  try {
    click(item);
    report({ kind: 'menu-clicked', id, error: null });
  } catch (error) {
    report({ kind: 'menu-clicked', id, error: String(error) });
  }
});
