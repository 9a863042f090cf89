import { useSyncExternalStore } from 'react';

/**
 * A handful of routes don't need a router library: the path lives in history.location, and
 * components re-render on popstate, hashchange or our own navigate(). The route table (which page,
 * who may see it) is in routes.ts; the backend's SPA fallback serves index.html for any of them.
 */
const NAV_EVENT = 'nop:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener('hashchange', onChange);
  window.addEventListener(NAV_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(NAV_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The fragment, "#…" or "": where secrets ride in links (the invitation token), since browsers never send it to a server. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

/** The query string, "?…" or "": pages keep their view settings there so a link reproduces them. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Replaces the query string in place (no history entry per keystroke), keeping path and fragment. */
export function replaceSearch(search: string): void {
  if (window.location.search === search) return;
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
  window.dispatchEvent(new Event(NAV_EVENT));
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (window.location.pathname === path) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAV_EVENT));
}
