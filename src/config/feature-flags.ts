/**
 * dex's feature flags (`pkg/featureflags`): `DEX_*` environment variables parsed as Go booleans; unset, empty or
 * unparsable values fall back to the default. Same names as dex, so operator environments carry over; same defaults
 * except `DEX_SESSIONS_ENABLED`, on unless set to false.
 */

/** Go `strconv.ParseBool`: the only spellings it accepts. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Parses `raw` like Go's `strconv.ParseBool`; anything else (or unset) yields `fallback`. */
export function parseGoBool(raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (GO_TRUE.has(raw)) return true;
  if (GO_FALSE.has(raw)) return false;
  return fallback;
}

export interface FeatureFlags {
  /** `DEX_ENT_ENABLED` (false): dex's ent-based SQL storage. Accepted for compatibility; Ferry has one SQL layer. */
  entEnabled: boolean;
  /** `DEX_EXPAND_ENV` (true): `$VAR` expansion inside storage, connector and signer configs. */
  expandEnv: boolean;
  /** `DEX_API_CONNECTORS_CRUD` (false): connector create/update/delete/list over gRPC. */
  apiConnectorsCRUD: boolean;
  /** `DEX_CONTINUE_ON_CONNECTOR_FAILURE` (true): start unless every connector fails to open. */
  continueOnConnectorFailure: boolean;
  /** `DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS` (false): unknown config keys are errors instead of warnings. */
  configDisallowUnknownFields: boolean;
  /** `DEX_CLIENT_CREDENTIAL_GRANT_ENABLED_BY_DEFAULT` (false): `client_credentials` joins the default grant list. */
  clientCredentialGrantEnabledByDefault: boolean;
  /**
   * `DEX_SESSIONS_ENABLED`: auth sessions, SSO, logout, consent memory, MFA. dex's default is false; Ferry's is
   * true (docs/compatibility.md): `DEX_SESSIONS_ENABLED=false` gives dex v2.45.1's login flow exactly.
   */
  sessionsEnabled: boolean;
  /** `DEX_API_SESSIONS_IDENTITIES_CRUD` (false): session/identity gRPC RPCs. */
  apiSessionsIdentitiesCRUD: boolean;
}

/** Env variable name and default of each flag. */
export const FEATURE_FLAGS = {
  entEnabled: ['DEX_ENT_ENABLED', false],
  expandEnv: ['DEX_EXPAND_ENV', true],
  apiConnectorsCRUD: ['DEX_API_CONNECTORS_CRUD', false],
  continueOnConnectorFailure: ['DEX_CONTINUE_ON_CONNECTOR_FAILURE', true],
  configDisallowUnknownFields: ['DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS', false],
  clientCredentialGrantEnabledByDefault: ['DEX_CLIENT_CREDENTIAL_GRANT_ENABLED_BY_DEFAULT', false],
  sessionsEnabled: ['DEX_SESSIONS_ENABLED', true],
  apiSessionsIdentitiesCRUD: ['DEX_API_SESSIONS_IDENTITIES_CRUD', false],
} as const satisfies Record<keyof FeatureFlags, readonly [string, boolean]>;

/** Reads every flag from `env` (default `process.env`). */
export function featureFlags(env: NodeJS.ProcessEnv = process.env): FeatureFlags {
  const out = {} as FeatureFlags;
  for (const [key, [name, fallback]] of Object.entries(FEATURE_FLAGS)) {
    out[key as keyof FeatureFlags] = parseGoBool(env[name], fallback);
  }
  return out;
}
