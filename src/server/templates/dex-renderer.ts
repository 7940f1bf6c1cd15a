/**
 * Renders a dex-format frontend (Go `html/template` files, see docs/templates.md) with exactly the data dex gives
 * each page (`dex v2.45.1 server/templates.go`): the same field names, no field of Ferry's own (so forms carry
 * only dex's fields), and dex's functions `issuer`, `logo`, `url`, `extra` plus the sprig subset in
 * `lib/gotemplate/sprig.ts`. Every page is parsed and then trial-rendered at startup with sample data, so a bad
 * template stops startup with its file and line instead of failing a user's request.
 */

import { STATUS_CODES } from 'node:http';
import { ConfigError } from '../../lib/errors.js';
import { parseTemplateSet, TemplateError, type FuncDef, type TemplateSet, type TemplateSource } from '../../lib/gotemplate/index.js';
import { sprigFuncs } from '../../lib/gotemplate/sprig.js';
import { assetUrl, safeHref } from './asset-url.js';
import type { Renderer, RendererOptions } from './render.js';
import { fallbackLogoutPage } from './logout-page.js';
import { passwordView } from './password-view.js';
import { scopeDescriptions } from './scope-descriptions.js';

/** The pages dex requires (header.html and footer.html are only partials of dex's own pages). */
const PAGES = ['login.html', 'password.html', 'approval.html', 'oob.html', 'error.html', 'device.html', 'device_success.html'] as const;
type Page = (typeof PAGES)[number];

export interface DexRendererInput {
  options: RendererOptions;
  root: string;
  theme: string;
  themeDir: string;
  dir: string;
  files: readonly TemplateSource[];
}

/** dex's template functions, bound to this frontend's settings. */
function dexFuncs(options: RendererOptions): Record<string, FuncDef> {
  const issuer = options.issuer || 'dex';
  const logo = options.logoURL || 'theme/logo.png';
  const extra = options.extra ?? {};
  return {
    ...sprigFuncs,
    issuer: { fn: () => issuer, min: 0, max: 0 },
    logo: { fn: () => logo, min: 0, max: 0 },
    extra: { fn: ([k]) => (typeof k === 'string' && Object.hasOwn(extra, k) ? extra[k] : ''), min: 1, max: 1 },
    // dex makes asset URLs relative to the request path; an absolute path under the issuer resolves the same.
    url: { fn: ([_reqPath, asset]) => assetUrl(options.issuerPath, typeof asset === 'string' ? asset : ''), min: 2, max: 2 },
  };
}

/** Sample data per page, covering each boolean both ways, used to trial-render every page at startup. */
function samples(page: Page, reqPath: (p: string) => string): object[] {
  const conn = (id: string, type: string) => ({ ID: id, Name: `Sample ${id}`, URL: reqPath(`/auth/${id}`), Type: type });
  switch (page) {
    case 'login.html':
      return [{ Connectors: [], ReqPath: reqPath('/auth') }, { Connectors: [conn('ldap', 'ldap'), conn('github', 'github'), conn('local', 'local')], ReqPath: reqPath('/auth') }];
    case 'password.html':
      return [false, true].map((b) => ({ PostURL: reqPath('/auth/local/login'), BackLink: b ? reqPath('/auth') : '', Username: b ? 'user' : '', UsernamePrompt: 'Email Address', Invalid: b, ReqPath: reqPath('/auth/local/login'), ShowRememberMe: false, RememberMeChecked: false }));
    case 'approval.html':
      return [[], ['View your email address']].map((Scopes) => ({ User: 'user', Client: 'Sample client', AuthReqID: 'sample', Scopes, ReqPath: reqPath('/approval') }));
    case 'oob.html':
      return [{ Code: 'sample', ReqPath: reqPath('/approval') }];
    case 'error.html':
      return [{ ErrType: 'Bad Request', ErrMsg: 'Sample message.', ReqPath: reqPath('/') }];
    case 'device.html':
      return [false, true].map((b) => ({ PostURL: reqPath('/device/auth/verify_code'), UserCode: b ? 'ABCD-EFGH' : '', Invalid: b, ReqPath: reqPath('/device') }));
    case 'device_success.html':
      return [{ ClientName: 'Sample client', ReqPath: reqPath('/device/callback') }];
  }
}

function configError(err: unknown, dir: string): ConfigError {
  const message = err instanceof TemplateError ? err.message : String(err);
  return new ConfigError(`dex-format template in ${dir}: ${message}`, 'frontend.dir');
}

/** Parses and checks the templates; throws `ConfigError` naming file and line on any problem. */
export function createDexRenderer(input: DexRendererInput): Renderer {
  const { options, dir } = input;
  const base = options.issuerPath.replace(/\/+$/, '');
  const reqPath = (p: string) => `${base}${p}`;
  let set: TemplateSet;
  try {
    set = parseTemplateSet(input.files, dexFuncs(options));
  } catch (err) {
    throw configError(err, dir);
  }
  const missing = PAGES.filter((p) => !set.has(p) || set.isEmpty(p));
  if (missing.length > 0) throw new ConfigError(`missing or empty template(s) in ${dir}: ${missing.join(', ')}`, 'frontend.dir');
  for (const page of PAGES) {
    for (const data of samples(page, reqPath)) {
      try {
        set.render(page, data);
      } catch (err) {
        throw configError(err, dir);
      }
    }
  }

  const render = (page: Page, data: object) => set.render(page, data);
  const pathOf = (url: string) => url.split('?')[0] ?? url;
  return {
    root: input.root,
    theme: input.theme,
    themeDir: input.themeDir,
    login: (d) => {
      const Connectors = d.connectors.map((c) => ({ ID: c.id, Name: c.name, URL: safeHref(c.url), Type: c.type }));
      Connectors.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
      return render('login.html', { Connectors, ReqPath: reqPath('/auth') });
    },
    password: (d) => {
      const v = passwordView(d);
      // ShowRememberMe and RememberMeChecked: dex HEAD's remember-me checkbox, shown with sessions on.
      return render('password.html', {
        PostURL: v.postURL, BackLink: v.backLink, Username: v.username, UsernamePrompt: v.usernamePrompt, Invalid: v.invalid,
        ReqPath: pathOf(d.postURL), ShowRememberMe: v.showRememberMe, RememberMeChecked: v.rememberMeChecked,
      });
    },
    approval: (d) =>
      render('approval.html', { User: d.user, Client: d.client, AuthReqID: d.authReqId, Scopes: [...d.scopes].sort(), ReqPath: reqPath('/approval') }),
    oob: (d) => render('oob.html', { Code: d.code, ReqPath: reqPath('/approval') }),
    error: (d) => render('error.html', { ErrType: STATUS_CODES[d.status] ?? 'Error', ErrMsg: d.message, ReqPath: reqPath('/') }),
    device: (d) =>
      render('device.html', { PostURL: safeHref(d.postURL), UserCode: d.userCode ?? '', Invalid: d.invalid, ReqPath: reqPath('/device') }),
    deviceSuccess: (d) => render('device_success.html', { ClientName: d.clientName, ReqPath: reqPath('/device/callback') }),
    // dex HEAD's logout page and fields (server/templates/templates.go Logout), when the theme has one.
    logout: (d) =>
      set.has('logout.html') && !set.isEmpty('logout.html')
        ? set.render('logout.html', { BackURL: safeHref(d.backURL), LoggedOut: d.loggedOut, ShowConfirmation: d.showConfirmation, ReqPath: pathOf(d.postURL) })
        : fallbackLogoutPage(d),
    scopeDescriptions,
  };
}
