import type { StreamedResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { allChanges, samplesFromBuckets, samplesFromResults, stateTimeline } from './stateTimeline.ts';
import type { Bucket } from './historyBuckets.ts';

const run = (agentId: string, s: number, success: boolean) =>
  ({ agentId, time: new Date(s * 1000).toISOString(), success }) as StreamedResult;

describe('stateTimeline', () => {
  it('merges runs of one state and lists each change', () => {
    const results = [true, true, false, false, true].map((ok, i) => run('a', i * 10, ok));
    const timeline = stateTimeline(samplesFromResults(results, 10_000), { fromMs: 0, toMs: 100_000 }).get('a')!;
    expect(timeline.segments).toEqual([
      { state: 'ok', from: 0, to: 20_000, samples: 2 },
      { state: 'failed', from: 20_000, to: 40_000, samples: 2 },
      { state: 'ok', from: 40_000, to: 50_000, samples: 1 },
    ]);
    expect(timeline.changes).toEqual([
      { agentId: 'a', t: 20_000, from: 'ok', to: 'failed' },
      { agentId: 'a', t: 40_000, from: 'failed', to: 'ok' },
    ]);
  });

  it('leaves a gap where no run came, and clips to the range', () => {
    const results = [run('a', 0, true), run('a', 100, true), run('a', 110, false)];
    const timeline = stateTimeline(samplesFromResults(results, 10_000), { fromMs: 5000, toMs: 115_000 }).get('a')!;
    expect(timeline.segments).toEqual([
      { state: 'ok', from: 5000, to: 10_000, samples: 1 },
      { state: 'ok', from: 100_000, to: 110_000, samples: 1 },
      { state: 'failed', from: 110_000, to: 115_000, samples: 1 },
    ]);
    expect(timeline.changes).toHaveLength(1);
  });

  it('keeps agents apart, unsorted input included, and lists all changes newest first', () => {
    const results = [run('b', 20, true), run('a', 10, false), run('b', 10, false), run('a', 0, true)];
    const timelines = stateTimeline(samplesFromResults(results, 10_000), { fromMs: 0, toMs: 60_000 });
    expect([...timelines.keys()].sort()).toEqual(['a', 'b']);
    expect(allChanges(timelines.values()).map((c) => `${c.agentId}:${c.from}->${c.to}`)).toEqual([
      'b:failed->ok',
      'a:ok->failed',
    ]);
  });

  it('reads buckets as ok, partly failed or failed, skipping empty ones', () => {
    const point = (t: number, count: number, failures: number) => ({ t, count, failures }) as Bucket;
    const samples = samplesFromBuckets(
      [
        {
          agentId: 'a',
          agentName: 'a',
          points: [point(0, 3, 0), point(60_000, 3, 1), point(120_000, 0, 0), point(180_000, 2, 2)],
        },
      ],
      60_000,
    );
    expect(samples.map((s) => s.state)).toEqual(['ok', 'partial', 'failed']);
    const timeline = stateTimeline(samples, { fromMs: 0, toMs: 240_000 }).get('a')!;
    expect(timeline.changes.map((c) => c.to)).toEqual(['partial', 'failed']);
  });
});
