import { useSyncExternalStore } from 'react';

/**
 * One shared 1 s ticker for every relative time and sliding chart, instead of one interval per
 * component. It runs only while something is subscribed.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Current time in ms, rounded down to `periodMs` so a caller re-renders only once per period. */
export function useNow(periodMs = 1000): number {
  return useSyncExternalStore(subscribe, () => Math.floor(now / periodMs) * periodMs);
}
