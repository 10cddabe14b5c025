/**
 * Durations are kept as counts per logarithmic bucket, so hourly rows stay small and add up, and
 * a median or p90 over any period comes from the summed buckets. Bucket 0 holds durations under
 * one second; bucket k ≥ 1 holds [2^((k-1)/16), 2^(k/16)) seconds and is reported as its
 * geometric middle 2^((k-0.5)/16): within 2^(1/32) − 1 ≈ 2.2 % of any value in it.
 */
export const BUCKETS_PER_DOUBLING = 16;

/** One bucket's count, as stored in hourly rows (`[{ b, n }]`, only non-empty buckets). */
export interface BucketCount {
  b: number;
  n: number;
}

export function durationBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.floor(Math.log2(seconds) * BUCKETS_PER_DOUBLING) + 1;
}

/** The value a bucket stands for, in seconds (rounded to the millisecond). */
export function bucketValue(b: number): number {
  if (b <= 0) return 0;
  return Math.round(2 ** ((b - 0.5) / BUCKETS_PER_DOUBLING) * 1000) / 1000;
}

/**
 * The nearest-rank quantile q (0 < q ≤ 1) of the values the buckets count: the value at rank
 * ceil(q · n) in ascending order; null when there are none. `value` turns a bucket key into the
 * figure (durations: bucketValue; reply counts are exact, their key is the count itself).
 */
export function bucketQuantile(buckets: readonly BucketCount[], q: number, value: (b: number) => number): number | null {
  const total = buckets.reduce((n, c) => n + c.n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const c of [...buckets].sort((x, y) => x.b - y.b)) {
    seen += c.n;
    if (seen >= rank) return value(c.b);
  }
  return null;
}
