/**
 * `id_token_hint` at the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2): an ID token Ferry
 * issued, checked by signature (Ferry's published keys) and `iss`; its expiry is deliberately not checked (§2: the
 * OP need not care whether it expired). It names the client (`aud`, or `azp` with several audiences), the user
 * (dex's `sub`) and the session (`sid`). It proves nothing about the browser: the session cookie decides which
 * session ends (dex HEAD server/logout/logout.go does the same). A logout token is never accepted as a hint.
 */

import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Signer } from '../../keys/signer.js';
import type { AuthSession } from '../../storage/types.js';
import { LOGOUT_TOKEN_TYPE } from '../backchannel/logout-token.js';
import { decodeSubject } from '../tokens/subject.js';

export interface IdTokenHint {
  userId: string;
  connectorId: string;
  /** '' when the token names no single client. */
  clientId: string;
  /** '' for tokens issued without a session. */
  sessionId: string;
}

/** The hint's contents when Ferry signed it for this issuer; null for anything else. */
export async function verifyIdTokenHint(signer: Signer, issuer: string, raw: string): Promise<IdTokenHint | null> {
  try {
    if (decodeProtectedHeader(raw).typ === LOGOUT_TOKEN_TYPE) return null;
    const keys = await signer.validationKeys();
    const algorithms = [...new Set(keys.map((k) => k.alg).filter((a): a is string => !!a))];
    await compactVerify(raw, createLocalJWKSet({ keys }), { algorithms });
    const claims = decodeJwt(raw);
    if (claims.iss !== issuer || typeof claims.sub !== 'string' || claims.events !== undefined) return null;
    const { userId, connectorId } = decodeSubject(claims.sub);
    const aud = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : [];
    const clientId = aud.length === 1 ? (aud[0] ?? '') : typeof claims.azp === 'string' ? claims.azp : '';
    return { userId, connectorId, clientId, sessionId: typeof claims.sid === 'string' ? claims.sid : '' };
  } catch {
    return null;
  }
}

/** True when the hint describes `session`: same user and connector, and the same `sid` when it carries one. */
export function hintMatches(hint: IdTokenHint | null, session: AuthSession | null): boolean {
  if (!hint || !session) return false;
  if (hint.userId !== session.userId || hint.connectorId !== session.connectorId) return false;
  return hint.sessionId === '' || hint.sessionId === session.id;
}
