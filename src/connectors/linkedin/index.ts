/** `linkedin`: log in with LinkedIn (profile and email; no groups); refresh re-reads the profile. */

export { createLinkedinFactory, linkedin, LINKEDIN_COM, type LinkedinEndpoints } from './factory.js';
export type { LinkedinConfig } from './config.js';
