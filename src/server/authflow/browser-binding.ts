/** The browser binding moved to the shared `server/http/` so the MFA pages can check it too. */
export * from '../http/browser-binding.js';
