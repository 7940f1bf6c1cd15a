/**
 * `bitbucket-cloud`: log in with Bitbucket Cloud; workspaces as groups; refresh.
 * config.ts → factory.ts → connector.ts → upstream.ts (API calls).
 */

export { bitbucketCloud, BITBUCKET_ORG, createBitbucketCloudFactory, type BitbucketEndpoints } from './factory.js';
export type { BitbucketCloudConfig } from './config.js';
