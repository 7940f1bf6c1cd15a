/**
 * The custom resources: dex's CRDs (group `dex.coreos.com`, version `v1`, dex's plural names including the
 * historical `signingkeies` and `offlinesessionses`; dex v2.45.1 storage/kubernetes/types.go and storage.go), and
 * dex HEAD's `useridentities` and `authsessions`, so dex and Ferry share objects and RBAC rules written for dex keep
 * working.
 *
 * Ferry's kinds of its own, revoked access tokens, opaque access tokens, brute-force throttle records and the
 * back-channel logout outbox, are the resources `ferryrevokedtokens`, `ferryaccesstokens`, `ferrythrottles` and
 * `ferrylogoutdeliveries` in the same group: dex
 * never reads them, and an existing dex Role (`dex.coreos.com`, resources `*`) already covers them, whereas a group of
 * Ferry's own would need every installation's RBAC changed before the switch. The `ferry` prefix keeps them clear of
 * any name dex may take later.
 */

import type { DocumentKind } from '../document/backend.js';

export const GROUP = 'dex.coreos.com';
export const VERSION = 'v1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface Resource {
  plural: string;
  singular: string;
  kind: string;
}

const r = (plural: string, singular: string, kind: string): Resource => ({ plural, singular, kind });

const RESOURCES: Readonly<Record<DocumentKind, Resource>> = Object.freeze({
  auth_code: r('authcodes', 'authcode', 'AuthCode'),
  auth_request: r('authrequests', 'authrequest', 'AuthRequest'),
  client: r('oauth2clients', 'oauth2client', 'OAuth2Client'),
  keys: r('signingkeies', 'signingkey', 'SigningKey'),
  refresh_token: r('refreshtokens', 'refreshtoken', 'RefreshToken'),
  password: r('passwords', 'password', 'Password'),
  offline_session: r('offlinesessionses', 'offlinesessions', 'OfflineSessions'),
  connector: r('connectors', 'connector', 'Connector'),
  device_request: r('devicerequests', 'devicerequest', 'DeviceRequest'),
  device_token: r('devicetokens', 'devicetoken', 'DeviceToken'),
  user_identity: r('useridentities', 'useridentity', 'UserIdentity'),
  auth_session: r('authsessions', 'authsession', 'AuthSession'),
  revoked_token: r('ferryrevokedtokens', 'ferryrevokedtoken', 'FerryRevokedToken'),
  throttle: r('ferrythrottles', 'ferrythrottle', 'FerryThrottle'),
  logout_delivery: r('ferrylogoutdeliveries', 'ferrylogoutdelivery', 'FerryLogoutDelivery'),
  access_token: r('ferryaccesstokens', 'ferryaccesstoken', 'FerryAccessToken'),
});

/** The resource holding documents of `kind` (a kind added later gets a derived name rather than a crash). */
export function resourceFor(kind: DocumentKind): Resource {
  const known = RESOURCES[kind] as Resource | undefined;
  if (known) return known;
  const singular = kind.replace(/_/g, '');
  const pascal = kind.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
  return r(`${singular}s`, singular, pascal);
}

/** Every resource, for CRD handling at start. */
export function allResources(kinds: readonly DocumentKind[]): Resource[] {
  return kinds.map(resourceFor);
}

/** The CustomResourceDefinition Ferry creates with `crdHandling: ensure`: dex's own manifest (no listKind). */
export function crdManifest(res: Resource): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${res.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: res.plural, singular: res.singular, kind: res.kind },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}
