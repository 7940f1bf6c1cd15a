/**
 * Time <-> text conversions, remembered. Stored records carry the same times again and again: an OfflineSessions
 * record holds two per refresh-token reference (up to 20 devices per client, docs/devices.md), and every update
 * decodes and encodes all of them. `Date#toISOString` costs about 0.7 µs and `Date.parse` of ISO text about 0.3 µs
 * here; a hit in these maps costs a tenth of that (issue 13; bench/README.md, Results, "three rounds per workload").
 * Pure functions of their argument, so a remembered answer is always the right one; each map is emptied when full.
 */

const LIMIT = 8192;

/** `compute` remembered per argument (it must be a pure function of it). */
export function remembered<K, V>(compute: (k: K) => V): (k: K) => V {
  const seen = new Map<K, V>();
  return (k) => {
    const hit = seen.get(k);
    if (hit !== undefined) return hit;
    const v = compute(k);
    if (seen.size >= LIMIT) seen.clear();
    seen.set(k, v);
    return v;
  };
}

const isoOf = remembered((ms: number) => new Date(ms).toISOString());

/** `d.toISOString()` (throws the same RangeError for an invalid date). */
export const isoText = (d: Date): string => isoOf(d.getTime());

/** `Date.parse(text)`: milliseconds since the epoch, NaN when unparsable. */
export const parseTimeText: (text: string) => number = remembered((text: string) => Date.parse(text));

/** `f` remembered per millisecond value, for other fixed layouts of a time (Go's RFC 3339, SQLite's text). */
export function timeLayout(f: (d: Date) => string): (d: Date) => string {
  const of = remembered((ms: number) => f(new Date(ms)));
  return (d) => of(d.getTime());
}
