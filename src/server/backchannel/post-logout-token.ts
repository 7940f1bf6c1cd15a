/**
 * One delivery attempt (Back-Channel Logout 1.0 §2.5, §2.8): POST `logout_token=<jwt>` as a form to the client's
 * back-channel URI, with a timeout and without following redirects (the token goes only to the URI the client
 * registered). 2xx = delivered. A network error, a timeout, 408, 429 or 5xx may be temporary and is retried; any
 * other answer (a 3xx, a 4xx: the relying party refused the token) will not change on retry.
 */

export type PostOutcome = { delivered: true } | { delivered: false; retry: boolean; reason: string };

const RETRYABLE = new Set([408, 425, 429]);

export async function postLogoutToken(url: URL, token: string, timeoutMs: number): Promise<PostOutcome> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache, no-store' },
      body: new URLSearchParams({ logout_token: token }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: unknown } };
    const code = e.name === 'TimeoutError' ? 'timeout' : typeof e.cause?.code === 'string' ? e.cause.code : e.name;
    return { delivered: false, retry: true, reason: code.slice(0, 40) };
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return { delivered: true };
  const retry = res.status >= 500 || RETRYABLE.has(res.status);
  return { delivered: false, retry, reason: `status ${res.status}` };
}
