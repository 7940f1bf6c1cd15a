/** Small conversions between storage values and wire values. */

/** Unix seconds as the wire's int64; 0 for an absent or invalid time (dex `unixOrZero`). */
export function unixOrZero(t: Date | null | undefined): bigint {
  if (!t) return 0n;
  const ms = t.getTime();
  return Number.isFinite(ms) ? BigInt(Math.floor(ms / 1000)) : 0n;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes the API carries as text (bcrypt hashes, JSON configs); `null` when they are not valid UTF-8. */
export function bytesToText(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

export const textToBytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** proto3 repeated fields have no presence: an empty list means "not given" (dex checks `!= nil`). */
export const given = (list: readonly string[]): boolean => list.length > 0;

/** Entries of a record sorted by key, so responses are stable (dex iterates Go maps in random order). */
export const sortedEntries = <T>(rec: Record<string, T>): Array<[string, T]> =>
  Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
