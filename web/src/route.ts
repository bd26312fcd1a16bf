import { useSyncExternalStore } from 'react';

/** The page's places, by hash (Hosting rewrites every path to index.html; the hash needs nothing). */
export type Route = 'uploads' | 'explorer' | 'completeness' | 'members';

export function routeOf(hash: string): Route {
  const first = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return first === 'explorer' || first === 'completeness' || first === 'members' ? first : 'uploads';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeOf(window.location.hash));
}
