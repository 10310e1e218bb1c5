/**
 * Hash routing (`#/experiment/<id>`): works from any static server and from Electron's custom
 * protocol, and keeps the `?token=` query of browser mode across navigation and reloads.
 */
export type Route =
  | { view: 'library' }
  | { view: 'new' }
  | { view: 'datasets' }
  | { view: 'settings' }
  | { view: 'experiment'; id: string }
  | { view: 'run'; id: string }
  /** Runs of any experiments side by side: `#/compare/<run-id>,<run-id>,…` (ids hold no comma). */
  | { view: 'compare'; runIds: string[] };

/** Parses a location hash into a route (unknown hashes show the library). */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [view, id] = parts;
  if (view === 'new') return { view: 'new' };
  if (view === 'datasets') return { view: 'datasets' };
  if (view === 'settings') return { view: 'settings' };
  if (view === 'experiment' && id) return { view: 'experiment', id };
  if (view === 'run' && id) return { view: 'run', id };
  if (view === 'compare' && id) return { view: 'compare', runIds: id.split(',').filter(Boolean) };
  return { view: 'library' };
}

/** The hash of a route, for links. */
export function href(route: Route): string {
  switch (route.view) {
    case 'experiment':
    case 'run':
      return `#/${route.view}/${encodeURIComponent(route.id)}`;
    case 'compare':
      return `#/compare/${route.runIds.map(encodeURIComponent).join(',')}`;
    default:
      return `#/${route.view}`;
  }
}

export class Router {
  route = $state<Route>(parseHash(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseHash(window.location.hash);
    });
  }

  go(route: Route): void {
    window.location.hash = href(route);
  }
}
