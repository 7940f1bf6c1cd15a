/**
 * GET <issuer>/keys — the JWKS (RFC 7517 §5; dex v2.45.1 `server/handlers.go` `handlePublicKeys`): current signing key first, then the keys
 * still valid for verification, with `Cache-Control: max-age=600, must-revalidate`. The body is rebuilt only
 * when the key set changes.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JWK } from 'jose';
import type { Signer } from '../keys/signer.js';

export function keysHandler(signer: Signer) {
  let lastKeys: JWK[] | null = null;
  let body = '';
  return async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const keys = await signer.validationKeys();
    if (keys.length === 0) return reply.code(500).type('text/plain; charset=utf-8').send('No signing keys available.');
    if (keys !== lastKeys) {
      body = JSON.stringify({ keys }, null, 2);
      lastKeys = keys;
    }
    return reply.header('cache-control', 'max-age=600, must-revalidate').type('application/json').send(body);
  };
}
