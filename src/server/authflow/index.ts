/**
 * The browser login flow: from `/auth` to the code or tokens at the client's redirect URI (dex v2.45.1
 * `server/handlers.go`; dex master moved it to `server/authflow/`). Every step after the first is bound to the
 * browser that started it (browser-binding.ts, load-flow.ts); every error before the redirect URI is verified is a
 * page, after it a response to the client (../responses/: flow-errors.ts, error-page.ts, client-response.ts).
 *
 *   GET|POST /auth                          authorize.ts: read (auth-request-params.ts) and validate
 *     │                                       (validate-auth-request.ts, ../responses/redirect-uri.ts) the request, pick the
 *     │                                       connectors this client may use for this grant (connector-grants.ts)
 *     ├─ several connectors → the connector list page
 *     └─ one, or connector_id → connector-login.ts (a password connector: straight to its form)
 *   GET /auth/{connector}                   connector-login.ts: re-check (flow-connector.ts), then by kind:
 *     ├─ password connector → 302 /auth/{connector}/login   (nothing stored yet)
 *     ├─ callback connector → store the AuthRequest (auth-request.ts, pending-request.ts) → 302 upstream
 *     └─ SAML connector     → store the AuthRequest → auto-submitted POST to the IdP
 *                                             (../templates/auto-submit-page.ts)
 *   GET|POST /auth/{connector}/login        password-login.ts: the form (password-form.ts); POST checks origin and
 *                                             CSRF (../http/check-form-post.ts, form-token.ts), the attempt throttle
 *                                             (attempt-throttle.ts) and the credentials, then finalize.ts
 *   GET|POST /callback[/{connector}]        callback.ts: the upstream's answer (state = AuthRequest id, or SAML
 *                                             RelayState) → the connector's identity → finalize.ts
 *   finalize.ts                             claims onto the AuthRequest, marked logged in (once) → 303
 *                                             /approval?req=…&hmac=…
 *   GET|POST /approval                      approval.ts: consent page (skipped with `skipApprovalScreen` unless
 *                                             forced), then response.ts
 *   response.ts                             the code (and/or tokens) to the verified redirect URI, as query,
 *                                             fragment or form_post (../responses/client-response.ts; the device flow's
 *                                             redirect URI is /device/callback, see ../device/)
 *
 * With sessions on, a login (or a reused session, session-login.ts) goes to the dispatcher `/auth?req&hmac`
 * instead (dispatch.ts): MFA, then consent, then the response. The handlers share the one server context
 * (../context.ts: storage, renderer, token issuer, connectors, cookies), built once.
 */
export { issuerPathOf } from '../http/issuer-path.js';
