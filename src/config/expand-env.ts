/**
 * Go `os.ExpandEnv`, exactly: `$NAME` (letters, digits, `_`) and `${NAME}` are replaced by the variable's value,
 * unset → empty. A `$` followed by one shell-special character (`*#$@!?-` or a digit) names that one-character
 * variable, so `$$` and `$1` become empty too. `${}` and an unclosed `${` are dropped; a trailing `$`, or `$`
 * followed by anything else, stays as is. dex applies it (behind `DEX_EXPAND_ENV`) to every string in
 * `storage.config`, `connectors[].config` and `signer.config` (see `expandEnvInTree`).
 */

type Env = Record<string, string | undefined>;

const SPECIAL = '*#$@!?-0123456789';
const isAlphaNum = (c: string): boolean => /^[A-Za-z0-9_]$/.test(c);

/** Returns the variable name after a `$` and how many characters it used (Go `getShellName`). */
function shellName(s: string): { name: string; width: number } {
  if (s[0] === '{') {
    if (s.length > 2 && SPECIAL.includes(s[1] as string) && s[2] === '}') return { name: s[1] as string, width: 3 };
    const close = s.indexOf('}', 1);
    if (close === 1) return { name: '', width: 2 }; // `${}`: bad syntax, eaten
    if (close === -1) return { name: '', width: 1 }; // `${` without `}`: bad syntax, `{` eaten
    return { name: s.slice(1, close), width: close + 1 };
  }
  if (SPECIAL.includes(s[0] as string)) return { name: s[0] as string, width: 1 };
  let i = 0;
  while (i < s.length && isAlphaNum(s[i] as string)) i++;
  return { name: s.slice(0, i), width: i };
}

/** Go `os.ExpandEnv(s)` against `env`. */
export function expandEnv(s: string, env: Env): string {
  let out = '';
  let from = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) continue;
    out += s.slice(from, j);
    const { name, width } = shellName(s.slice(j + 1));
    if (name === '' && width === 0) out += '$'; // `$` not followed by a name: kept
    else if (name !== '') out += env[name] ?? '';
    j += width;
    from = j + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * dex `expandEnvInMap`: a copy of `tree` with every string expanded, recursing into maps, into maps inside lists
 * and into strings directly inside lists. Lists nested directly in lists, numbers and booleans are left alone.
 */
export function expandEnvInTree(tree: Record<string, unknown>, env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = expandValue(v, env, false);
  return out;
}

function expandValue(v: unknown, env: Env, inList: boolean): unknown {
  if (typeof v === 'string') return expandEnv(v, env);
  if (Array.isArray(v)) return inList ? v : v.map((item) => expandValue(item, env, true));
  if (isPlainObject(v)) return expandEnvInTree(v, env);
  return v;
}

/** True for a plain key/value object (as produced by YAML/JSON parsing), not an array or null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
