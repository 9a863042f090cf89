import { normalizeBase } from '../lib/url.ts';

/** The backend origin; '' = same origin (see frontend/.env.example). Fixed at build time by Vite. */
export const API_BASE = normalizeBase(import.meta.env.VITE_API_URL);
