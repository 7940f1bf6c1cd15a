/**
 * The logout token (OpenID Connect Back-Channel Logout 1.0 §2.4): a JWT signed with Ferry's keys, header
 * `typ: logout+jwt` (§2.4, recommended to keep it apart from ID tokens), claims `iss`, `aud` (the client),
 * `iat`, `exp`, `jti`, `sub` (dex's subject of the session's user), `sid` and the back-channel logout event; never a
 * `nonce` (§2.4 forbids it). Short-lived: the spec recommends at most two minutes.
 */

import { randomUUID } from 'node:crypto';
import type { Signer } from '../../keys/signer.js';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
export const LOGOUT_TOKEN_TYPE = 'logout+jwt';
/** Seconds a logout token is valid. */
export const LOGOUT_TOKEN_LIFETIME = 120;

export interface LogoutTokenInput {
  issuer: string;
  clientId: string;
  subject: string;
  sessionId: string;
  now: Date;
}

/** A freshly minted logout token (a new `jti` each call). */
export async function mintLogoutToken(signer: Signer, input: LogoutTokenInput): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  return signer.sign(
    {
      iss: input.issuer,
      sub: input.subject,
      aud: input.clientId,
      iat,
      exp: iat + LOGOUT_TOKEN_LIFETIME,
      jti: randomUUID(),
      sid: input.sessionId,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    },
    { typ: LOGOUT_TOKEN_TYPE },
  );
}
