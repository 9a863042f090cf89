import { useSyncExternalStore } from 'react';

export interface Preference<T extends string> {
  get: () => T;
  set: (value: T) => void;
  subscribe: (listener: () => void) => () => void;
}

/**
 * One choice of this browser (the theme, the clock), kept in localStorage so it survives reloads
 * and follows across tabs. Anything unknown in storage (an old build's value, a hand edit) reads as
 * `fallback`; without storage (private mode, tests in Node) the choice lives for the page only.
 */
export function createPreference<T extends string>(key: string, choices: readonly T[], fallback: T): Preference<T> {
  const listeners = new Set<() => void>();
  const parse = (raw: string | null | undefined): T => (choices.includes(raw as T) ? (raw as T) : fallback);
  let value = parse(readStorage(key));
  const notify = () => listeners.forEach((l) => l());
  // another tab changed it: follow, so two open dashboards never disagree
  const onStorage = (e: StorageEvent) => {
    if (e.key !== key) return;
    value = parse(e.newValue);
    notify();
  };

  return {
    get: () => value,
    set: (next) => {
      value = parse(next);
      writeStorage(key, value);
      notify();
    },
    subscribe: (listener) => {
      if (listeners.size === 0 && typeof window !== 'undefined') window.addEventListener('storage', onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
      };
    },
  };
}

/** The preference's current value; re-renders when it changes (here or in another tab). */
export function usePreference<T extends string>(preference: Preference<T>): T {
  return useSyncExternalStore(preference.subscribe, preference.get, preference.get);
}

function readStorage(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function writeStorage(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // full or disabled: the choice still applies to this page
  }
}
