/**
 * The password page's values as both template formats show them (render.ts for Ferry's own templates,
 * dex-renderer.ts for a dex-format frontend dir): links made safe, the prompt's default, plain booleans.
 */

import { safeHref } from './asset-url.js';
import type { PasswordPage } from './render.js';

export interface PasswordView {
  postURL: string;
  backLink: string;
  username: string;
  usernamePrompt: string;
  invalid: boolean;
  showRememberMe: boolean;
  rememberMeChecked: boolean;
}

export function passwordView(d: PasswordPage): PasswordView {
  return {
    postURL: safeHref(d.postURL),
    backLink: safeHref(d.backLink),
    username: d.username ?? '',
    usernamePrompt: d.usernamePrompt || 'Username',
    invalid: d.invalid,
    showRememberMe: d.showRememberMe === true,
    rememberMeChecked: d.rememberMeChecked === true,
  };
}
