/**
 * The facts of dex's Helm chart (test/fixtures/dex-helm/chart-facts.yaml) and a scripted password login through
 * Ferry's pages, shared by the image and npm-package tests.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as client from 'openid-client';
import { parse } from 'yaml';
import { readForm, UserAgent, decodeEntities } from '../../helpers/user-agent.js';

export interface ChartFacts {
  chart: { version: string; appVersion: string };
  container: {
    args: { default: string[]; https: string[]; grpc: string[] };
    ports: Record<'http' | 'https' | 'grpc' | 'telemetry', number>;
    probes: Record<'liveness' | 'readiness', { path: string; port: string }>;
    volumeMounts: { name: string; mountPath: string; readOnly: boolean }[];
    securityContextSuggested: {
      capabilities: { drop: string[] };
      readOnlyRootFilesystem: boolean;
      runAsNonRoot: boolean;
      runAsUser: number;
    };
  };
  service: { ports: Record<string, number> };
  rbac: { role: { apiGroups: string[]; resources: string[]; verbs: string[] } };
  image: { user: string; cmd: string[] };
}

export const chartFacts = (): ChartFacts =>
  parse(readFileSync('test/fixtures/dex-helm/chart-facts.yaml', 'utf8')) as ChartFacts;

/** The chart's container args with `https.enabled` and/or `grpc.enabled`: those flags come before telemetry's. */
export function chartArgs(f: ChartFacts, on: { https?: boolean; grpc?: boolean }): string[] {
  const args = [...f.container.args.default];
  const extra = [...(on.https ? f.container.args.https : []), ...(on.grpc ? f.container.args.grpc : [])];
  args.splice(args.indexOf('--telemetry-addr'), 0, ...extra);
  return args;
}

/** A code flow for a public client through the local password connector; returns verified tokens. */
export async function passwordLogin(
  issuer: string, clientId: string, redirect: string, email: string, password: string,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid email profile offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const ua = new UserAgent(issuer);
  let page = await ua.browse(authUrl.href);
  const link = [...page.html.matchAll(/href="([^"]*\/auth\/([^"?/]+)[^"]*)"/g)].find((m) => m[2] === 'local');
  if (link?.[1]) page = await ua.browse(new URL(decodeEntities(link[1]), issuer).href);
  assert.equal(page.status, 200, 'password form shown');
  page = await ua.submit(readForm(page), { login: email, password });
  if (!page.redirect) page = await ua.submit(readForm(page), { approval: 'approve' });
  assert.ok(page.redirect, 'redirected back to the client');
  return client.authorizationCodeGrant(config, page.redirect, { pkceCodeVerifier: verifier, expectedState: state });
}
