/**
 * Server-rendered login pages (dex `web/templates`, Handlebars syntax). `createRenderer` loads and compiles every
 * template once at startup; each page then renders from a typed data object with everything HTML-escaped.
 *
 * Layout of a frontend dir (dex's, so themes port): `templates/*.html`, `static/` (served at `<issuer>/static`),
 * `themes/<theme>/` (served at `<issuer>/theme`), `robots.txt`.
 *
 * Template helpers: `{{issuer}}` (display name), `{{logo}}` (logo URL, already resolved), `{{url "static/x"}}`
 * (asset URL under the issuer path; absolute URLs pass through), `{{extra "key"}}` (`frontend.extra` value).
 *
 * A frontend dir written for dex (Go `html/template` syntax, detected by template-format.ts) is rendered by
 * dex-renderer.ts instead, with dex's data fields and functions (docs/templates.md).
 */

import { stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';
import Handlebars from 'handlebars';
import { ConfigError } from '../../lib/errors.js';
import { assetUrl, safeHref } from './asset-url.js';
import { createDexRenderer } from './dex-renderer.js';
import { fallbackLogoutPage, type LogoutPage } from './logout-page.js';
import { loadTemplates, readTemplateSources, type TemplateName } from './load-templates.js';
import { passwordView } from './password-view.js';
import { detectTemplateFormat } from './template-format.js';
import { scopeDescriptions } from './scope-descriptions.js';

export interface RendererOptions {
  /** Custom frontend dir (`frontend.dir`); empty or absent = Ferry's built-in `web/`. */
  dir?: string;
  /** Display name (`frontend.issuer`); default `dex`. */
  issuer: string;
  /** `frontend.logoURL`; default `theme/logo.png`. */
  logoURL: string;
  /** `light` (default), `dark`, or any folder under `themes/`; legacy `coreos`/`tectonic` mean `light`. */
  theme: string;
  extra: Record<string, string>;
  /** Path part of the issuer URL, e.g. `/dex` (or `` / `/` at the root). */
  issuerPath: string;
}

export interface LoginConnector {
  id: string;
  name: string;
  /** Connector type; selects the icon (`provider-icon--<type>`). */
  type: string;
  url: string;
}

export interface LoginPage {
  /** Already sorted by name, case-insensitively, by the caller. */
  connectors: LoginConnector[];
  csrf?: string;
}

export interface PasswordPage {
  postURL: string;
  /** Link back to the connector list; omitted when there is only one connector. */
  backLink?: string;
  /** Re-filled after a failed attempt. */
  username?: string;
  /** The connector's prompt; default `Username`. */
  usernamePrompt?: string;
  invalid: boolean;
  csrf: string;
  /** A message above the form, e.g. that the previous form expired (Ferry's own template; dex's has no place for it). */
  notice?: string;
  /** Sessions on: the "remember me" box is shown (field `remember_me`), checked when `rememberMeChecked`. */
  showRememberMe?: boolean;
  rememberMeChecked?: boolean;
}

export interface ApprovalPage {
  /** Display name of the signed-in user. */
  user: string;
  /** Client display name. */
  client: string;
  /** Human descriptions (see `scopeDescriptions`). */
  scopes: string[];
  authReqId: string;
  hmac: string;
  csrf: string;
  /** Form action; empty posts back to the current URL. */
  postURL?: string;
}

export interface ErrorPage {
  status: number;
  /** A safe, generic message (never internal detail). */
  message: string;
}

export interface DevicePage {
  postURL: string;
  userCode?: string;
  invalid: boolean;
  csrf: string;
}

export interface Renderer {
  /** Resolved frontend dir. */
  readonly root: string;
  /** Theme actually used, after defaults. */
  readonly theme: string;
  /** `<root>/themes/<theme>`, to be served at `<issuer>/theme`. */
  readonly themeDir: string;
  login(data: LoginPage): string;
  password(data: PasswordPage): string;
  approval(data: ApprovalPage): string;
  oob(data: { code: string }): string;
  error(data: ErrorPage): string;
  device(data: DevicePage): string;
  deviceSuccess(data: { clientName: string }): string;
  /** The logout confirmation / signed-out page (`logout.html`, optional: see logout-page.ts). */
  logout(data: LogoutPage): string;
  scopeDescriptions(scopes: readonly string[]): string[];
}

/** The frontend dir: `dir` resolved, or the repo's `web/` next to `src/` (works from `src/` via tsx and from `dist/`). */
export function webRoot(dir?: string): string {
  if (dir) return resolve(dir);
  return join(packageRoot(), 'web');
}

/**
 * Loads and compiles the templates of the frontend dir. Throws `ConfigError` when a required template or the theme
 * folder is missing, or a template does not parse.
 *
 * @example
 * const pages = await createRenderer({ issuer: 'Acme', logoURL: '', theme: 'dark', extra: {}, issuerPath: '/dex' });
 * reply.type('text/html').send(pages.error({ status: 400, message: 'Invalid request.' }));
 */
export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const root = webRoot(options.dir);
  const theme = normalizeTheme(options.theme);
  const themeDir = join(root, 'themes', theme);
  if (!(await isDirectory(themeDir))) {
    throw new ConfigError(`theme "${theme}" not found: ${themeDir} is not a directory`, 'frontend.theme');
  }

  const templatesDir = join(root, 'templates');
  const sources = await readTemplateSources(templatesDir);
  if (detectTemplateFormat(sources, templatesDir) === 'go') {
    return createDexRenderer({ options, root, theme, themeDir, dir: templatesDir, files: sources });
  }

  const env = Handlebars.create();
  const issuer = options.issuer || 'dex';
  const logo = assetUrl(options.issuerPath, options.logoURL || 'theme/logo.png');
  const extra = options.extra ?? {};
  env.registerHelper('issuer', () => issuer);
  env.registerHelper('logo', () => logo);
  env.registerHelper('url', (...args: unknown[]) => {
    // Called as {{url "static/x"}} or dex-style {{url reqPath "static/x"}}; the last argument is Handlebars' options.
    const asset = args.length >= 2 ? args[args.length - 2] : '';
    return assetUrl(options.issuerPath, typeof asset === 'string' ? asset : '');
  });
  env.registerHelper('extra', (key: unknown) =>
    typeof key === 'string' && Object.hasOwn(extra, key) ? extra[key] : '',
  );

  const templates = await loadTemplates(env, join(root, 'templates'));
  const shared = { theme, colorScheme: theme === 'dark' ? 'dark' : 'light' };
  const render = (name: TemplateName, data: object): string => {
    const template = templates.get(name);
    if (!template) throw new Error(`template ${name} is not loaded`);
    return template({ ...shared, ...data });
  };

  return {
    root,
    theme,
    themeDir,
    login: (data) =>
      render('login.html', {
        csrf: data.csrf ?? '',
        connectors: data.connectors.map((c) => ({ id: c.id, name: c.name, type: c.type, href: safeHref(c.url) })),
      }),
    password: (data) => render('password.html', { ...passwordView(data), csrf: data.csrf, notice: data.notice ?? '' }),
    approval: (data) =>
      render('approval.html', {
        user: data.user,
        client: data.client,
        scopes: [...data.scopes],
        authReqId: data.authReqId,
        hmac: data.hmac,
        csrf: data.csrf,
        postURL: safeHref(data.postURL),
      }),
    oob: (data) => render('oob.html', { code: data.code }),
    error: (data) =>
      render('error.html', { status: data.status, errType: STATUS_CODES[data.status] ?? 'Error', errMsg: data.message }),
    device: (data) =>
      render('device.html', {
        postURL: safeHref(data.postURL),
        userCode: data.userCode ?? '',
        invalid: data.invalid,
        csrf: data.csrf,
      }),
    deviceSuccess: (data) => render('device_success.html', { clientName: data.clientName }),
    logout: (data) => {
      const page = templates.get('logout.html');
      if (!page) return fallbackLogoutPage(data);
      return page({ ...shared, ...data, backURL: safeHref(data.backURL), postURL: safeHref(data.postURL) });
    },
    scopeDescriptions,
  };
}

function normalizeTheme(theme: string): string {
  if (!theme || theme === 'coreos' || theme === 'tectonic') return 'light';
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(theme)) {
    throw new ConfigError(`theme "${theme}" is not a plain folder name`, 'frontend.theme');
  }
  return theme;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
