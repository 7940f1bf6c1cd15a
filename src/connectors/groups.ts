/**
 * The shared groups filter (dex `pkg/groups.Filter`), used for every `groups`/`allowedGroups`/`teams` option:
 * the groups of `given` that are also in `required`, in the upstream's order (duplicates in `given` are kept).
 */
export function filterGroups(given: readonly string[], required: readonly string[]): string[] {
  const wanted = new Set(required);
  return given.filter((g) => wanted.has(g));
}
