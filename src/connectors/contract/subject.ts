/** What a connector's test supplies to the contract suite. */

import type { Connector, Identity, Scopes } from '../types.js';

export interface ContractUser {
  username: string;
  password?: string;
  email: string;
  emailVerified: boolean;
  /** Groups the upstream has for this user, as the connector reports them (after any configured filter). */
  groups: string[];
}

export interface ContractSubject {
  name: string;
  /** Opens the connector against the live peer. */
  open(): Connector | Promise<Connector>;
  /**
   * Opens the same connector pointed at an upstream that does not answer (e.g. a closed loopback port). Exactly
   * one of this and `noUpstream` is given.
   */
  openUnreachable?(): Connector | Promise<Connector>;
  /** Why the connector has no upstream to be unreachable (the mock connectors); the contract reports the skip. */
  noUpstream?: string;
  /**
   * What an unreachable upstream looks like to the connector: `upstream` (default), a `ConnectorError`; or
   * `invalid-response` for connectors Ferry never calls upstream (SAML: the browser could not reach the IdP and
   * posts nothing, which the connector can only refuse as an invalid response, a `UserRefusedError`).
   */
  unreachableAs?: 'upstream' | 'invalid-response';
  /**
   * Logs `user` in with `conn` the way the connector's kind needs (password call, scripted upstream login,
   * IdP response) and returns the identity. Must reject when the upstream refuses the login.
   */
  login(conn: Connector, scopes: Scopes, user: ContractUser): Promise<Identity>;
  users: { primary: ContractUser };
  /**
   * Asserts that wrong credentials fail cleanly. Defaults, for password connectors, to checking that
   * `login(scopes, username, 'wrong password')` answers `{ valid: false }` without throwing.
   */
  wrongCredentials?(conn: Connector): Promise<void>;
  /** The connector can refresh: connector data round-trips and `refresh` re-reads the upstream. */
  refresh: boolean;
  /** An upstream change that must show after refresh: remove `group` from the primary user, and undo it. */
  upstreamChange?: { group: string; removeFromGroup(): Promise<void>; restore(): Promise<void> };
  /** A connector configured with an allowed-groups filter, and the groups the primary user keeps through it. */
  allowedGroups?: { open(): Connector | Promise<Connector>; expected: string[] };
}
