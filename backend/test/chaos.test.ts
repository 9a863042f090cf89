import { describe, expect, it } from 'vitest';
import { runChaos } from './helpers/chaos-scenario.ts';

// The short version of scripts/soak/chaos.ts: one round of every fault, then exact counts.
describe('chaos: replicas, PostgreSQL, Redis and agents failing in turn', () => {
  it('stores every result the agents made exactly once, without holes, with statuses right throughout', async () => {
    const report = await runChaos({ outageMs: 20_000, downMs: 5_000, settleMs: 5_000, rounds: 1, log: console.log });
    console.log('chaos counts', JSON.stringify(report.series));
    console.log('backlog drained after each fault (ms)', JSON.stringify(report.drains));
    for (const s of report.series) {
      if (s.madeIsLowerBound) expect(s.stored, `${s.agent}/${s.check}`).toBeGreaterThanOrEqual(s.made);
      else expect(s.stored, `${s.agent}/${s.check}`).toBe(s.made);
      expect(s.stored).toBeGreaterThan(30);
    }
    expect(report.duplicateIds).toBe(0);
    expect(report.duplicateRuns).toBe(0);
    expect(report.holes).toEqual([]);
    expect(report.statusProblems).toEqual([]);
    // "without holes" for a reader too: the outage's results arrive within seconds, not a minute later
    for (const drain of report.drains) expect(drain.ms, drain.fault).toBeLessThan(15_000);
  }, 300_000);
});
