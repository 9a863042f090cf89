/**
 * A result's run time as epoch ms (NaN when unreadable), parsed once per result object: the
 * overview compares the same few thousand results on every batch of streamed ones, and parsing
 * ISO text again each time was a visible share of that work.
 */
const parsed = new WeakMap<object, number>();

export function resultTime(result: { time: string }): number {
  let t = parsed.get(result);
  if (t === undefined) {
    t = Date.parse(result.time);
    parsed.set(result, t);
  }
  return t;
}
