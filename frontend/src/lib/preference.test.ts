import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPreference } from './preference.ts';

const CHOICES = ['auto', '24h', '12h'] as const;

function fakeStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

describe('createPreference', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the stored choice, and the fallback for anything it does not know', () => {
    vi.stubGlobal('localStorage', fakeStorage({ a: '12h', b: 'sundial' }));
    expect(createPreference('a', CHOICES, 'auto').get()).toBe('12h');
    expect(createPreference('b', CHOICES, 'auto').get()).toBe('auto');
    expect(createPreference('missing', CHOICES, 'auto').get()).toBe('auto');
  });

  it('stores a new choice and tells its subscribers', () => {
    const storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
    const clock = createPreference('clock', CHOICES, 'auto');
    const seen: string[] = [];
    const stop = clock.subscribe(() => seen.push(clock.get()));
    clock.set('24h');
    stop();
    clock.set('12h');
    expect(seen).toEqual(['24h']);
    expect(storage.data.get('clock')).toBe('12h');
  });

  it('still works for the page when storage is missing or refuses', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    });
    const clock = createPreference('clock', CHOICES, 'auto');
    expect(clock.get()).toBe('auto');
    clock.set('12h');
    expect(clock.get()).toBe('12h');
  });
});
