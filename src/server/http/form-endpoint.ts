/**
 * The shell every form-in, JSON-out OAuth endpoint beside `/token` shares (`/device/code`, `/token/introspect`,
 * `/token/revoke`): POST only (other methods get dex's 400 `invalid_request` "method not allowed"), the form parsed
 * as at /token (form media type, no repeated parameters), body-parser failures as `invalid_request`, and every
 * error through the one JSON serializer — so bad input is always a 4xx OAuth error, never a 5xx.
 */

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import type { Client } from '../../storage/types.js';
import { authenticateClient, isBasicAuthorization, readClientCredentials } from '../oauth2/client-auth.js';
import { invalidRequest } from '../oauth2/oauth-error.js';
import { writeJsonError } from '../oauth2/write-json-error.js';
import { parseTokenForm, type TokenForm } from './token-form.js';

export interface FormEndpointOptions {
  logger: Logger;
  /** Realm of `WWW-Authenticate: Basic` on a 401 after Basic authentication (the issuer). */
  realm: string;
  handle(form: TokenForm, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

/** The handlers of one such endpoint, wired in ../routes.ts: `post` (with `errorHandler`), `other` for other methods. */
export interface FormEndpoint {
  post(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply;
  other(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

export function formEndpoint(opts: FormEndpointOptions): FormEndpoint {
  const fail = (request: FastifyRequest, reply: FastifyReply, err: unknown) =>
    writeJsonError(reply, err, {
      logger: opts.logger,
      requestId: request.id,
      basicRealm: isBasicAuthorization(request.headers.authorization) ? opts.realm : undefined,
    });
  return {
    errorHandler: (err, request, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      return fail(request, reply, status < 500 ? invalidRequest('The request body could not be parsed.', { detail: err.message }) : err);
    },
    post: async (request, reply) => {
      try {
        return await opts.handle(parseTokenForm(request.headers['content-type'], request.body), request, reply);
      } catch (err) {
        return fail(request, reply, err);
      }
    },
    other: async (request, reply) => fail(request, reply, invalidRequest('method not allowed')),
  };
}

/** True when the request carries client credentials (HTTP Basic, or `client_id` / `client_secret` in the form). */
export function presentsClient(request: FastifyRequest, form: TokenForm): boolean {
  return isBasicAuthorization(request.headers.authorization) || form.get('client_id') !== '' || form.get('client_secret') !== '';
}

/** Client authentication exactly as at /token (RFC 6749 §2.3.1): Basic or form; public clients by id alone. */
export function authenticateFormClient(storage: Storage, request: FastifyRequest, form: TokenForm): Promise<Client> {
  const creds = readClientCredentials(request.headers.authorization, {
    clientId: form.get('client_id'),
    clientSecret: form.get('client_secret'),
  });
  return authenticateClient(storage, creds);
}
