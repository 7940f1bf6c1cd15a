/**
 * The `refresh` column of dex's `offline_session` row: a JSON map of client id (or, with several devices, a
 * `ferry-device:` key, docs/devices.md) to `{"ID","ClientID","CreatedAt","LastUsed"}` (dex v2.45.1
 * `storage/sql/crud.go`, Go field names, RFC 3339 times), with Ferry's session id per entry in `ferry_ext`.
 *
 * A user with many devices has hundreds of entries (up to 20 per client), and every login and every refresh
 * rewrites the record. Decoding and encoding them all each time was most of such an update (bench/README.md,
 * "the full login"), so both sides remember:
 * - the last text of each large record (at least MEMO_MIN_CHARS characters; MEMO_RECORDS records at most, the least
 *   recently used out first), with its decoded references: reading the same text again (the update's read-back, the
 *   next login or refresh of that user in this process) is a comparison of two strings;
 * - each reference's JSON text (and its member text under its key), per reference object: an update that changes
 *   one entry encodes one entry.
 * What is remembered is frozen, the maps written included (the storage's callers replace entries and maps, never
 * mutate them), so a remembered text always matches its objects and a change behind it throws instead of being
 * written wrong. The text written is exactly what `JSON.stringify` of the same map makes.
 */

import type { RefreshTokenRef } from '../types.js';

type Refs = Record<string, RefreshTokenRef>;

/** dex's `storage.RefreshTokenRef` JSON (no tags: Go field names). */
export interface DexRef {
  ID?: unknown;
  ClientID?: unknown;
  CreatedAt?: unknown;
  LastUsed?: unknown;
}

export interface RefsCodec {
  /**
   * The references of record `key`'s stored map (`text`: the column's JSON; empty or not an object: none; `ext`:
   * the record's other column that `build` reads).
   */
  decode(key: string, text: string, ext: unknown, build: (raw: Record<string, DexRef>, ext: unknown) => Refs): Refs;
  /** The column's JSON text for record `key`'s `refresh`, each entry as `entry` makes it; remembered with `ext`. */
  encode(key: string, refresh: Refs, ext: unknown, entry: (ref: RefreshTokenRef) => DexRef): string;
}

/** A record at the cap of 20 devices for 9 clients is ~38 KB of text and as much decoded: at most ~5 MiB in all. */
export const MEMO_RECORDS = 64;
export const MEMO_MIN_CHARS = 2048;

export function refsCodec(): RefsCodec {
  const records = new Map<string, { text: string; ext: unknown; refs: Refs }>();
  /** Per reference: its JSON, and its `"name":json` member under the name it last had. */
  const entries = new WeakMap<RefreshTokenRef, { name: string; json: string; part: string }>();

  /** Remembers `refs` (frozen, entries included: `encode` froze its entries already) as record `key`'s `text`. */
  const remember = (key: string, text: string, ext: unknown, refs: Refs, entriesFrozen: boolean): Refs => {
    records.delete(key);
    if (text.length < MEMO_MIN_CHARS) return refs;
    if (records.size >= MEMO_RECORDS) records.delete(records.keys().next().value!);
    if (!entriesFrozen) for (const ref of Object.values(refs)) Object.freeze(ref);
    records.set(key, { text, ext, refs: Object.freeze(refs) });
    return refs;
  };

  return {
    decode(key, text, ext, build) {
      const hit = records.get(key);
      if (hit !== undefined && hit.text === text && hit.ext === ext) {
        records.delete(key);
        records.set(key, hit);
        return hit.refs;
      }
      const parsed: unknown = text === '' ? null : JSON.parse(text);
      const raw = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, DexRef>;
      return remember(key, text, ext, build(raw, ext), false);
    },
    encode(key, refresh, ext, entry) {
      const parts: string[] = [];
      for (const [name, ref] of Object.entries(refresh)) {
        let known = entries.get(ref);
        if (known === undefined) entries.set(Object.freeze(ref), (known = { name: '', json: JSON.stringify(entry(ref)), part: '' }));
        if (known.name !== name || known.part === '') Object.assign(known, { name, part: `${JSON.stringify(name)}:${known.json}` });
        parts.push(known.part);
      }
      const text = `{${parts.join(',')}}`;
      remember(key, text, ext, refresh, true); // frozen from here on (a copy of a map this size costs half an encode)
      return text;
    },
  };
}
