/**
 * The two redirect URIs with a meaning of their own (dex v2.45.1 `server/oauth2.go` `validateRedirectURI`): the
 * out-of-band URN, whose code is shown on a page instead of sent anywhere, and dex's `/device/callback` shorthand,
 * which always means the issuer's own device callback.
 */

export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
export const DEVICE_CALLBACK_PATH = '/device/callback';
