/**
 * Several devices and the home page, as users meet them: a real Ferry (password DB, two users), relying parties
 * driven by openid-client on loopback, and Chromium profiles as laptops (each profile its own cookie jar).
 */

import { hash } from '@node-rs/bcrypt';
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { startRelyingParty, submitPasswordForm, type RelyingParty, type Tokens } from '../../helpers/browser.js';
import { startBackchannelReceiver, type BackchannelReceiver } from '../logout/backchannel-receiver.js';

export const ANN = { email: 'ann@example.com', password: 'ann-password', userId: 'ann-0001' };
export const BOB = { email: 'bob@example.com', password: 'bob-password', userId: 'bob-0002' };
const insecure = { execute: [client.allowInsecureRequests] };

export interface DevicesSetup {
  f: TestFerry;
  /** kubectl-like public client and a confidential dashboard, each with its relying party. */
  kubectl: { rp: RelyingParty; config: client.Configuration };
  dashboard: { rp: RelyingParty; config: client.Configuration };
  /** The dashboard's back-channel logout endpoint, verifying each logout token against Ferry's JWKS. */
  backchannel: BackchannelReceiver;
  stop(): Promise<void>;
}

/** Starts Ferry with `DEX_SESSIONS_ENABLED=<sessions>` and the two relying parties. */
export async function startDevices(sessions: boolean): Promise<DevicesSetup> {
  const [kPort, dPort, bPort] = [await freePort(), await freePort(), await freePort()];
  const [annHash, bobHash] = [await hash(ANN.password, 10), await hash(BOB.password, 10)];
  const f = await startTestFerry(
    (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
  allowedOrigins: ['*']
expiry:
  refreshTokens:
    reuseInterval: 0s
oauth2:
  passwordConnector: local
enablePasswordDB: true
staticPasswords:
- { email: ${ANN.email}, hash: "${annHash}", username: ann, userID: ${ANN.userId} }
- { email: ${BOB.email}, hash: "${bobHash}", username: bob, userID: ${BOB.userId} }
staticClients:
- id: kubectl
  name: Kubectl
  public: true
  redirectURIs: ['http://127.0.0.1:${kPort}/callback']
- id: dashboard
  name: Dashboard
  secret: dashboard-secret
  redirectURIs: ['http://127.0.0.1:${dPort}/callback']
  backchannelLogoutURI: http://127.0.0.1:${bPort}/backchannel-logout
`,
    { env: { DEX_SESSIONS_ENABLED: String(sessions) } },
  );
  const kConfig = await client.discovery(new URL(f.issuer), 'kubectl', undefined, client.None(), insecure);
  const dConfig = await client.discovery(new URL(f.issuer), 'dashboard', 'dashboard-secret', undefined, insecure);
  const kubectl = { rp: await startRelyingParty(kConfig, kPort), config: kConfig };
  const dashboard = { rp: await startRelyingParty(dConfig, dPort), config: dConfig };
  const backchannel = await startBackchannelReceiver(bPort, f.issuer, 'dashboard');
  return {
    f, kubectl, dashboard, backchannel,
    async stop() {
      backchannel.close();
      kubectl.rp.close();
      dashboard.rp.close();
      await f.stop();
    },
  };
}

/**
 * Logs in to `app` in `page`: the password form when the browser has no session (then the approval page, unless
 * consent is remembered), straight through otherwise. Returns the tokens the relying party redeemed.
 */
export async function login(page: Page, app: DevicesSetup['kubectl'], user: typeof ANN, scope = 'openid email offline_access'): Promise<Tokens> {
  const { url, state } = await app.rp.authorize(scope);
  await page.goto(url.href);
  const back = (u: URL) => u.href.startsWith(app.rp.redirectUri);
  if (!back(new URL(page.url()))) {
    if (await page.getByLabel('Password').isVisible().catch(() => false)) await submitPasswordForm(page, 'Email Address', user.email, user.password);
    const grant = page.getByRole('button', { name: /grant access/i });
    await Promise.race([page.waitForURL(back), grant.waitFor()]);
    if (!back(new URL(page.url()))) await grant.click();
    await page.waitForURL(back);
  }
  await page.locator('#result').waitFor();
  const tokens = app.rp.tokens(state);
  if (!tokens) throw new Error(`login failed: ${await page.locator('#result').textContent()}`);
  return tokens;
}

/** Refreshes with openid-client; the new tokens, or the error's OAuth code. */
export async function refresh(app: DevicesSetup['kubectl'], token: string): Promise<Tokens | string> {
  return client.refreshTokenGrant(app.config, token).catch((err: unknown) => String((err as { error?: string }).error ?? err));
}
