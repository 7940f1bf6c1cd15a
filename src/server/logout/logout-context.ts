/**
 * What the logout endpoints use, assembled in `routes.ts` from the server's dependencies: only shared services
 * (sessions, back-channel, templates, http), never another feature folder.
 */

import type { Config } from '../../config/types.js';
import type { Signer } from '../../keys/signer.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import type { SessionEnder } from '../backchannel/end-session.js';
import type { ConnectorResolver } from '../deps.js';
import type { FlowCookies } from '../http/flow-cookies.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Renderer } from '../templates/render.js';

export interface LogoutContext {
  config: Config;
  storage: Storage;
  logger: Logger;
  now: () => Date;
  signer: Signer;
  renderer: Renderer;
  sessions: SessionManager;
  connectors: ConnectorResolver;
  ender: SessionEnder;
  cookies: FlowCookies;
}

/** The parameters of an RP-initiated logout that survive a confirmation or an upstream round trip. */
export interface LogoutParams {
  clientId: string;
  postLogoutRedirectURI: string;
  state: string;
}
