/**
 * Starts a real Ferry (the same `startFerry` the CLI uses) on a free loopback port from YAML text, for flow tests.
 * The YAML is a function of the issuer URL so tests can write dex-format configs naturally.
 */

import { createServer as createNetServer } from 'node:net';
import { startFerry, type RunningFerry } from '../../src/cli/start.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/lib/logger.js';

export interface TestFerry {
  issuer: string;
  ferry: RunningFerry;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The environment of dex v2.45.1's login flow: sessions off (`DEX_SESSIONS_ENABLED=false`; Ferry's default is on).
 * Tests that pin v2.45.1 behaviour (login → approval on every login, no session cookie) run with it, which also
 * proves that the flag restores that behaviour.
 */
export const DEX_V2_45_ENV: NodeJS.ProcessEnv = Object.freeze({ DEX_SESSIONS_ENABLED: 'false' });

/** `yaml(issuer, listen)` returns the config text; storage/web/issuer keys are the test's to write. */
export async function startTestFerry(
  yaml: (issuer: string, listen: string) => string,
  opts: { env?: NodeJS.ProcessEnv; now?: () => Date } = {},
): Promise<TestFerry> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/dex`;
  const env = opts.env ?? {};
  const { config } = parseConfig(yaml(issuer, `127.0.0.1:${port}`), env);
  const ferry = await startFerry(config, { logger: silentLogger(), env, now: opts.now });
  return { issuer, ferry, stop: () => ferry.stop() };
}
