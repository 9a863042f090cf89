import { defineConfig } from 'vitest/config';

// One runner for the whole repository: unit tests beside the code (*.test.ts) and service-backed
// tests in each package's test/ folder. Service tests start real processes, so they get time.
export default defineConfig({
  test: {
    include: [
      '{protocol,agents,backend,frontend}/{src,test}/**/*.test.{ts,tsx}',
      'e2e/**/*.test.ts',
      'deploy/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // every log the run writes goes to one folder, scanned for secrets at the end
    globalSetup: ['backend/test/global-log-scan.ts'],
  },
});
