/** What survives between the logout steps. The endpoints themselves take the one server context (../context.ts). */

/** The parameters of an RP-initiated logout that survive a confirmation or an upstream round trip. */
export interface LogoutParams {
  clientId: string;
  postLogoutRedirectURI: string;
  state: string;
}
