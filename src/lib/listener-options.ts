/**
 * Timeouts for an HTTP listener, as fastify and Node options. dex's `http.Server`s set none, so a client that
 * trickles its headers or body holds a socket forever; Ferry bounds every phase (docs/operations.md).
 */

export interface Timeouts {
  /** ms for the whole request (headers and body); 0 = no limit. */
  request: number;
  /** ms for the request headers; 0 = no limit. */
  headers: number;
  /** ms an idle keep-alive connection stays open. */
  keepAlive: number;
  /** ms a socket may see no traffic at all; 0 = no limit. */
  idle: number;
}

/** fastify's own timeout options, and the Node server options to merge into `http`/`https`. */
export function listenerOptions(t: Timeouts): {
  fastify: { connectionTimeout: number; keepAliveTimeout: number; requestTimeout: number };
  node: { headersTimeout: number; connectionsCheckingInterval: number };
} {
  // Node refuses headersTimeout > requestTimeout, and checks both only every connectionsCheckingInterval
  // (30 s by default): check often enough that a limit is enforced within about a quarter of itself.
  const headers = t.request > 0 && t.headers > t.request ? t.request : t.headers;
  const shortest = Math.min(...[t.request, headers].filter((v) => v > 0), 4_000);
  return {
    fastify: { connectionTimeout: t.idle, keepAliveTimeout: t.keepAlive, requestTimeout: t.request },
    node: { headersTimeout: headers, connectionsCheckingInterval: Math.max(25, Math.floor(shortest / 4)) },
  };
}
