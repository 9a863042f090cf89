#!/usr/bin/env node
// The agent runs from TypeScript source: tsx compiles it on the fly, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
