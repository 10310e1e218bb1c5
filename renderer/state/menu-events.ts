/**
 * Application-menu actions as events, not state: each action is delivered once, to the mounted
 * view that handles its kind. An action that opens its view first (import → Library) is held
 * until that view mounts; any other action nobody handles is dropped, never replayed later.
 * Views register with `onMenuAction` while mounted; App provides the instance as context.
 */
import { getContext, onMount, setContext } from 'svelte';
import type { MenuAction, MenuActionKind } from '../../main/api/menu-actions.js';

type Handler<K extends MenuActionKind> = (action: Extract<MenuAction, { kind: K }>) => void;

export class MenuEvents {
  private readonly handlers = new Map<MenuActionKind, (action: MenuAction) => void>();
  private held: MenuAction | null = null;

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
    this.handlers.set(kind, registered);
    const held = this.held;
    if (held?.kind === kind) {
      this.held = null;
      registered(held);
    }
    return () => {
      if (this.handlers.get(kind) === registered) this.handlers.delete(kind);
    };
  }
}

const KEY = Symbol('menu-events');

/** App: makes `events` the menu events of every component below. */
export function provideMenuEvents(events: MenuEvents): void {
  setContext(KEY, events);
}

/** In a component: handles menu actions of `kind` while it is mounted. */
export function onMenuAction<K extends MenuActionKind>(kind: K, handler: Handler<K>): void {
  const events = getContext<MenuEvents | undefined>(KEY);
  onMount(() => events?.handle(kind, handler));
}
