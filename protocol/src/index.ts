export * from './duration.ts';
export * from './checks.ts';
export * from './results.ts';
export * from './agents.ts';
export * from './link.ts';
export * from './api.ts';
export * from './access.ts';
export * from './secrets.ts';
