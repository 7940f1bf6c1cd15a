/**
 * Mock connectors (dex `connector/mock`) for flow tests and `npm start`: `mockCallback` (redirect-style, always
 * the same user) and `mockPassword` (one fixed username/password). Never use them in production.
 */
export { mockCallback, MockCallbackConnector } from './callback.js';
export { mockPassword, MockPasswordConnector, type MockPasswordConfig } from './password.js';
