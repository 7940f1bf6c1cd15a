/**
 * `record[key]` when `key` is the record's own: a map of ids parsed from JSON or built by spreading is a plain
 * object, and a client or user named `toString`, `constructor` or `hasOwnProperty` would otherwise read the function
 * it inherits from Object.prototype (regression tests: src/storage/sql/offline-refs.test.ts,
 * test/flows/sessions/sessions.test.ts).
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
