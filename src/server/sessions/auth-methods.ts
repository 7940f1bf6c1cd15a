/**
 * `amr` and `acr` (OIDC Core §2; values from RFC 8176 §2) for a login that passed multi-factor authentication.
 * The factors are those of the client's chain (`mfaChain`, else `mfa.defaultMFAChain`) that apply to the login's
 * connector (an authenticator's `connectorTypes`, empty = every type): TOTP is `otp`, WebAuthn `hwk`; a password
 * connector adds `pwd`, and two or more methods add `mfa`. `acr` is then the OpenID PAPE multi-factor policy URI.
 * Without MFA nothing is added, so tokens keep dex's claim set.
 * The dispatcher issues no code for such a client before MFA passed (dispatch.ts), so the token endpoint can derive
 * the claims from the client and connector alone; the amr is that of the login the code or token came from.
 */

import type { MFAConfig } from '../../config/types.js';
import { isPasswordConnector } from '../../connectors/capabilities.js';
import type { Client } from '../../storage/types.js';
import type { ResolvedConnector } from '../context.js';

export const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

const AMR_OF: Record<string, string> = { TOTP: 'otp', WebAuthn: 'hwk' };

/** The authenticators (type names) of `client`'s chain that apply to a connector of type `connectorType`. */
export function appliedFactors(mfa: MFAConfig | undefined, client: Pick<Client, 'mfaChain'>, connectorType: string): string[] {
  const chain = client.mfaChain ?? mfa?.defaultMFAChain ?? [];
  const byId = new Map((mfa?.authenticators ?? []).map((a) => [a.id, a]));
  return chain
    .map((id) => byId.get(id))
    .filter((a) => a !== undefined && (a.connectorTypes.length === 0 || a.connectorTypes.includes(connectorType)))
    .map((a) => a!.type);
}

/** `{ amr, acr }` for a login through a (password or not) connector with these MFA factors; `{}` without MFA. */
export function authMethodClaims(factors: readonly string[], viaPassword: boolean): { amr?: string[]; acr?: string } {
  const methods = [...new Set(factors.map((t) => AMR_OF[t] ?? 'mfa'))];
  if (methods.length === 0) return {};
  const amr = viaPassword ? ['pwd', ...methods] : methods;
  if (amr.length > 1 && !amr.includes('mfa')) amr.push('mfa');
  return { amr, acr: MFA_ACR };
}

/** The claims for a login of `client` through `conn` (null: the connector is gone; then none). */
export function loginMethodClaims(mfa: MFAConfig | undefined, client: Pick<Client, 'mfaChain'>, conn: ResolvedConnector | null) {
  if (!conn) return {};
  return authMethodClaims(appliedFactors(mfa, client, conn.type), isPasswordConnector(conn.connector));
}
