import { useSyncExternalStore } from 'react';

/** The page's two places, by hash (Hosting rewrites every path to index.html; the hash needs nothing). */
export type Route = 'uploads' | 'explorer';

export function routeOf(hash: string): Route {
  return hash.replace(/^#\/?/, '').split(/[/?]/)[0] === 'explorer' ? 'explorer' : 'uploads';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeOf(window.location.hash));
}
