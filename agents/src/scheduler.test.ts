import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckResult, CheckSpec } from '@nop/protocol';
import { CheckSpec as CheckSpecSchema } from '@nop/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler, spreadOffset, spreadWindow } from './scheduler.ts';

/**
 * The scheduler takes the spec it is given; these tests run it at intervals of milliseconds, far
 * below MIN_CHECK_INTERVAL_MS, so the interval is set after the schema has had its say.
 */
const spec = (id: string, interval: number, target = '127.0.0.1:1'): CheckSpec => ({
  ...CheckSpecSchema.parse({ id, type: 'tcp', target, timeout: 1000 }),
  interval,
});

function result(s: CheckSpec): CheckResult {
  return {
    id: randomUUID(),
    checkId: s.id,
    type: s.type,
    target: s.target,
    time: new Date().toISOString(),
    success: true,
    durationMs: 1,
    metrics: {},
  };
}

/** A scheduler whose "probe" takes `workMs` and records when each run started and ended. */
function harness(workMs: number | ((s: CheckSpec) => number), concurrency?: number) {
  const runs: { id: string; target: string; start: number; end?: number }[] = [];
  const results: CheckResult[] = [];
  let active = 0;
  let maxActive = 0;
  const perCheckActive = new Map<string, number>();
  let maxPerCheck = 0;
  const scheduler = new Scheduler({
    concurrency,
    run: async (s) => {
      const run = { id: s.id, target: s.target, start: performance.now() } as (typeof runs)[number];
      runs.push(run);
      active++;
      maxActive = Math.max(maxActive, active);
      const mine = (perCheckActive.get(s.id) ?? 0) + 1;
      perCheckActive.set(s.id, mine);
      maxPerCheck = Math.max(maxPerCheck, mine);
      await sleep(typeof workMs === 'number' ? workMs : workMs(s));
      perCheckActive.set(s.id, mine - 1);
      active--;
      run.end = performance.now();
      return result(s);
    },
    onResult: (r) => results.push(r),
  });
  created.push(scheduler);
  return { scheduler, runs, results, stats: () => ({ maxActive, maxPerCheck }) };
}

const created: Scheduler[] = [];
afterEach(async () => {
  for (const s of created.splice(0)) {
    s.stop();
    await s.idle();
  }
});

describe('spreadOffset', () => {
  it('is deterministic and inside the interval', () => {
    expect(spreadOffset('ping-a', 10_000)).toBe(spreadOffset('ping-a', 10_000));
    for (let i = 0; i < 200; i++) {
      const offset = spreadOffset(`check-${i}`, 10_000);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(10_000);
    }
  });

  it('spreads many checks over the whole interval (no herd at second 0)', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => spreadOffset(`check-${i}`, 10_000));
    const buckets = new Array(10).fill(0);
    for (const o of offsets) buckets[Math.floor(o / 1000)]++;
    // 1000 checks over 10 one-second buckets: each bucket holds roughly 100, none is empty or a herd
    for (const count of buckets) {
      expect(count).toBeGreaterThan(50);
      expect(count).toBeLessThan(150);
    }
  });
});

describe('spreadWindow', () => {
  it('spreads a few checks over a second, many over the whole interval', () => {
    expect(spreadWindow(60_000, 3)).toBe(1000);
    expect(spreadWindow(60_000, 2_000)).toBe(20_000);
    expect(spreadWindow(60_000, 10_000)).toBe(60_000);
    expect(spreadWindow(300, 3)).toBe(300);
  });
});

describe('Scheduler', () => {
  it('runs a handful of long-interval checks within a second of start', async () => {
    const { scheduler, runs } = harness(4);
    scheduler.apply(['a', 'b', 'c'].map((id) => spec(id, 60_000)));
    const t0 = performance.now();
    scheduler.start();
    await sleep(1100);
    scheduler.stop();
    expect(runs.map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
    for (const run of runs) expect(run.start - t0).toBeLessThan(1050);
  });

  it('starts each check at its hashed offset into the interval', async () => {
    const { scheduler, runs } = harness(1);
    const checks = ['alpha', 'beta', 'gamma'].map((id) => spec(id, 300));
    scheduler.apply(checks);
    const t0 = performance.now();
    scheduler.start();
    await sleep(320);
    for (const c of checks) {
      const first = runs.find((r) => r.id === c.id)!;
      expect(first).toBeDefined();
      expect(first.start - t0).toBeGreaterThanOrEqual(spreadOffset(c.id, 300) - 2);
      expect(first.start - t0).toBeLessThan(spreadOffset(c.id, 300) + 40);
    }
  });

  it('does not drift: runs stay on the planned grid even though each run takes time', async () => {
    const { scheduler, runs } = harness(30);
    scheduler.apply([spec('grid', 50)]);
    scheduler.start();
    await sleep(700);
    expect(runs.length).toBeGreaterThanOrEqual(10);
    const first = runs[0]!.start;
    runs.forEach((run, k) => {
      expect(Math.abs(run.start - (first + k * 50))).toBeLessThan(40);
    });
    // scheduling from completion would have put run 10 at >= 10 * 80 ms
    expect(runs[10]!.start - first).toBeLessThan(525);
  });

  it('never overlaps a check with itself; busy slots are skipped', async () => {
    const { scheduler, runs, stats } = harness(100);
    scheduler.apply([spec('slow', 30)]);
    scheduler.start();
    await sleep(500);
    expect(stats().maxPerCheck).toBe(1);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end! - 1);
    expect(scheduler.skipped('slow')).toBeGreaterThan(0);
  });

  it('holds the global concurrency limit', async () => {
    const { scheduler, runs, stats } = harness(60, 3);
    scheduler.apply(Array.from({ length: 10 }, (_, i) => spec(`c${i}`, 40)));
    scheduler.start();
    await sleep(400);
    expect(stats().maxActive).toBe(3);
    expect(runs.length).toBeGreaterThan(10);
  });

  it('hot reload adds, removes and changes checks and leaves unchanged ones on their grid', async () => {
    const { scheduler, runs } = harness(1);
    scheduler.apply([spec('keep', 200), spec('change', 200), spec('drop', 200)]);
    const t0 = performance.now();
    scheduler.start();
    // apply half-way between two slots: a check that got replanned would move 100 ms off its grid
    await sleep(500);
    const counts = scheduler.apply([spec('keep', 200), spec('change', 200, '127.0.0.1:2'), spec('add', 200)]);
    expect(counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    const appliedAt = performance.now();
    await sleep(450);

    const after = runs.filter((r) => r.start > appliedAt);
    expect(after.some((r) => r.id === 'drop')).toBe(false);
    expect(after.some((r) => r.id === 'add')).toBe(true);
    expect(after.some((r) => r.id === 'change')).toBe(true);
    expect(after.filter((r) => r.id === 'change').every((r) => r.target === '127.0.0.1:2')).toBe(true);
    const keep = runs.filter((r) => r.id === 'keep').map((r) => r.start);
    expect(keep.length).toBeGreaterThanOrEqual(4);
    const phase = t0 + spreadOffset('keep', 200);
    keep.forEach((t, k) => expect(Math.abs(t - (phase + k * 200))).toBeLessThan(40));
    expect(
      scheduler
        .checks()
        .map((c) => c.id)
        .sort(),
    ).toEqual(['add', 'change', 'keep']);
  });

  it('stop() starts nothing new but lets the run in flight finish and report', async () => {
    const { scheduler, runs, results } = harness(80);
    scheduler.apply([spec('one', 20)]);
    scheduler.start();
    await sleep(spreadOffset('one', 20) + 20);
    expect(runs.length).toBe(1);
    scheduler.stop();
    expect(scheduler.running).toBe(false);
    await scheduler.idle();
    expect(results.length).toBe(1);
    await sleep(100);
    expect(runs.length).toBe(1);

    scheduler.start();
    await sleep(150);
    expect(runs.length).toBeGreaterThan(1);
  });

  it('passes an abort signal that abortRuns() fires', async () => {
    let seen: AbortSignal | undefined;
    const scheduler = new Scheduler({
      run: async (s, signal) => {
        seen = signal;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return { ...result(s), success: false };
      },
      onResult: () => undefined,
    });
    created.push(scheduler);
    scheduler.apply([spec('hang', 10)]);
    scheduler.start();
    await sleep(30);
    expect(scheduler.activeRuns).toBe(1);
    scheduler.abortRuns();
    await scheduler.idle();
    expect(seen?.aborted).toBe(true);
    expect(scheduler.activeRuns).toBe(0);
  });

  it('reports how late each run started against its planned time', async () => {
    const lateness: number[] = [];
    const scheduler = new Scheduler({
      concurrency: 1,
      run: async (s) => {
        await sleep(50);
        return result(s);
      },
      onResult: () => {},
      onStart: (_s, ms) => lateness.push(ms),
    });
    scheduler.apply(['x', 'y'].map((id) => spec(id, 200)));
    scheduler.start();
    await sleep(260);
    scheduler.stop();
    await scheduler.idle();
    expect(lateness.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...lateness)).toBeLessThan(20);
    // timers may fire a fraction of a millisecond early by performance.now(); never more
    expect(lateness.every((ms) => ms > -2)).toBe(true);
  });
});
