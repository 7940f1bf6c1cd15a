/** Human descriptions shown on the approval page; other scopes (`openid`, cross-client ones) are not listed. */
const descriptions: Readonly<Record<string, string>> = Object.freeze({
  offline_access: 'Have offline access',
  profile: 'View basic profile information',
  email: 'View your email address',
  groups: 'View your groups',
});

/** Scope names → their approval-page descriptions, unknown scopes dropped, sorted and without duplicates (as dex). */
export function scopeDescriptions(scopes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const scope of scopes) {
    if (Object.hasOwn(descriptions, scope)) out.add(descriptions[scope] as string);
  }
  return [...out].sort();
}
