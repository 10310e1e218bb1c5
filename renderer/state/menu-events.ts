/**
 * Application-menu actions as events, not state: each action is delivered once, to the mounted
 * view that handles its kind. An action that opens its view first (import → Library) is held
 * until that view mounts; any other action nobody handles is dropped, never replayed later.
 * Views register with `onMenuAction` while mounted; App provides the instance as context. Every
 * change of the handled kinds is reported (the desktop app greys out menu items nobody handles).
 */
import { getContext, onMount, setContext } from 'svelte';
import type { MenuAction, MenuActionKind } from '../../main/api/menu-actions.js';

type Handler<K extends MenuActionKind> = (action: Extract<MenuAction, { kind: K }>) => void;

export class MenuEvents {
  private readonly handlers = new Map<MenuActionKind, (action: MenuAction) => void>();
  private held: MenuAction | null = null;

  /** `onHandledChange` receives the kinds handled now, after each change of that set. */
  constructor(
    private readonly onHandledChange: (handled: MenuActionKind[]) => void = () => undefined,
  ) {}

  /** The action kinds some mounted view handles now. */
  get handled(): MenuActionKind[] {
    return [...this.handlers.keys()];
  }

  /**
   * Delivers `action` to its handler; without one, holds it for the next view to register for
   * its kind when `hold`, else drops it. A newer action always replaces a held one.
   */
  dispatch(action: MenuAction, { hold = false } = {}): void {
    const handler = this.handlers.get(action.kind);
    this.held = handler || !hold ? null : action;
    handler?.(action);
  }

  /** Handles `kind` until the returned function is called; a held action is delivered now. */
  handle<K extends MenuActionKind>(kind: K, handler: Handler<K>): () => void {
    const registered = handler as (action: MenuAction) => void;
    const added = !this.handlers.has(kind);
    this.handlers.set(kind, registered);
    if (added) this.onHandledChange(this.handled);
    const held = this.held;
    if (held?.kind === kind) {
      this.held = null;
      registered(held);
    }
    return () => {
      if (this.handlers.get(kind) !== registered) return;
      this.handlers.delete(kind);
      this.onHandledChange(this.handled);
    };
  }
}

const KEY = Symbol('menu-events');

/** App: makes `events` the menu events of every component below. */
export function provideMenuEvents(events: MenuEvents): void {
  setContext(KEY, events);
}

/** In a component: the menu events App provides (undefined outside App, e.g. in tests). */
export function menuEventsContext(): MenuEvents | undefined {
  return getContext<MenuEvents | undefined>(KEY);
}

/** In a component: handles menu actions of `kind` while it is mounted. */
export function onMenuAction<K extends MenuActionKind>(kind: K, handler: Handler<K>): void {
  const events = menuEventsContext();
  onMount(() => events?.handle(kind, handler));
}
