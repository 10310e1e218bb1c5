/**
 * An application menu built from its template as Electron builds one: every item gets `enabled`
 * (true unless the template says false, and changeable later), submenus are built too, and
 * `getMenuItemById` finds an item at any depth. Shared by the unit tests' fake `electron` and the
 * desktop harness's stand-in, which both need what `applyMenuState` (electron/menu.ts) touches.
 */
export interface MenuTemplateItem {
  id?: string;
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  enabled?: boolean;
  submenu?: MenuTemplateItem[] | BuiltMenu;
  click?: (item: BuiltMenuItem, window: unknown, event: unknown) => void;
}

export interface BuiltMenuItem extends Omit<MenuTemplateItem, 'submenu' | 'enabled'> {
  enabled: boolean;
  submenu?: BuiltMenu;
}

export class BuiltMenu {
  readonly items: BuiltMenuItem[];
  constructor(template: MenuTemplateItem[]) {
    this.items = template.map(({ submenu, enabled, ...options }) => ({
      ...options,
      enabled: enabled ?? true,
      submenu: Array.isArray(submenu) ? new BuiltMenu(submenu) : submenu,
    }));
  }

  getMenuItemById(id: string): BuiltMenuItem | null {
    for (const item of this.items) {
      const found = item.id === id ? item : (item.submenu?.getMenuItemById(id) ?? null);
      if (found) return found;
    }
    return null;
  }
}
