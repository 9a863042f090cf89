/**
 * uPlot wants one x column shared by every series. Agents' buckets share epoch-aligned times but
 * not all of them (an agent added later, a gap): the union of times, with null where an agent has
 * no bucket, so its line breaks instead of bridging the gap.
 */
export interface Aligned {
  /** epoch seconds */
  xs: number[];
  columns: (number | null)[][];
}

export function alignSeries<P extends { t: number }>(
  series: ReadonlyArray<{ points: readonly P[] }>,
  pick: (point: P) => number | null,
): Aligned {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column = new Array<number | null>(times.length).fill(null);
    for (const p of s.points) column[index.get(p.t)!] = pick(p);
    return column;
  });
  return { xs: times.map((t) => t / 1000), columns };
}

/**
 * Running sums for a stacked chart: column k is the sum of columns 0..k, a missing part counting
 * as 0 unless the whole row is missing (then the stack breaks there).
 */
export function stackColumns(columns: ReadonlyArray<ReadonlyArray<number | null>>): (number | null)[][] {
  const n = columns[0]?.length ?? 0;
  const out = columns.map(() => new Array<number | null>(n).fill(null));
  for (let i = 0; i < n; i++) {
    if (columns.every((c) => c[i] === null || c[i] === undefined)) continue;
    let sum = 0;
    columns.forEach((c, k) => {
      sum += c[i] ?? 0;
      out[k]![i] = sum;
    });
  }
  return out;
}
