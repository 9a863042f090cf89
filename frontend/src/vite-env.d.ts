/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Backend origin; empty means same origin. See frontend/.env.example. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
