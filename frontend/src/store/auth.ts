import type { User } from '@nop/protocol';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/**
 * The signed-in session. Persisted to localStorage so a reload keeps you signed in; the token is a
 * bearer JWT the backend checks on every call, so a stale one only costs one 401 and a sign-out.
 */
interface AuthState {
  token: string | null;
  user: User | null;
  /** why the last sign-out happened, shown once on the login page */
  notice: string | null;
  signIn: (token: string, user: User) => void;
  setUser: (user: User) => void;
  signOut: (notice?: string) => void;
  clearNotice: () => void;
}

export const useAuth = create<AuthState>()(
  persist(
    (set) => ({
      token: null,
      user: null,
      notice: null,
      signIn: (token, user) => set({ token, user, notice: null }),
      setUser: (user) => set({ user }),
      signOut: (notice) => set({ token: null, user: null, notice: notice ?? null }),
      clearNotice: () => set({ notice: null }),
    }),
    {
      name: 'nop.session',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ token: s.token, user: s.user }),
    },
  ),
);
