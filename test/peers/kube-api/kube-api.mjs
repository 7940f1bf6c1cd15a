// A SIMULATION of the Kubernetes API server — not a real one (no kube-apiserver can be installed on these
// machines). It implements exactly the calls Ferry's `kubernetes` storage makes, with the API server's status
// codes and Status bodies:
//   GET  /version
//   GET  /apis/apiextensions.k8s.io/v1/customresourcedefinitions/<name>        200 (Established) | 404
//   POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions               201 | 409 AlreadyExists
//   GET  /apis/<group>/<version>/namespaces/<ns>/<plural>?limit=&continue=     paged list, sorted by name
//   POST /apis/<group>/<version>/namespaces/<ns>/<plural>                      201 | 409 AlreadyExists
//   GET|PUT|DELETE /apis/<group>/<version>/namespaces/<ns>/<plural>/<name>     PUT needs metadata.resourceVersion
//        (409 Conflict when stale); DELETE honours preconditions.resourceVersion (409 Conflict); 404 NotFound
// Custom objects of a CRD that was never created answer 404, as on a real server. Every call needs
// `Authorization: Bearer <token>` or a client certificate issued by --client-ca (401 otherwise). resourceVersion is one counter across the store, like etcd's.
// Test-only helpers (not Kubernetes API) live under /_sim/: POST /_sim/seed creates many objects from a template
// in-process, DELETE /_sim/namespaces/<ns> drops a namespace's objects.
//
// Usage: node kube-api.mjs --port 0 --cert server.crt --key server.key --token T [--client-ca ca.crt] [--port-file f]
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    cert: { type: 'string' },
    key: { type: 'string' },
    token: { type: 'string' },
    'client-ca': { type: 'string' },
    'port-file': { type: 'string' },
  },
});

const crds = new Map(); // name -> object
const served = new Set(); // `${group}/${plural}`
const buckets = new Map(); // `${group}/${plural}/${ns}` -> { items: Map<name, {text, rv}>, sorted: string[] | null }
let revision = 1;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_BODY = 16 * 1024 * 1024;

function status(res, code, reason, message) {
  send(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}
function send(res, code, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
function bucket(key, create) {
  let b = buckets.get(key);
  if (!b && create) buckets.set(key, (b = { items: new Map(), sorted: null }));
  return b;
}
function sortedNames(b) {
  b.sorted ??= [...b.items.keys()].sort();
  return b.sorted;
}
/** The index of the first name greater than `after`. */
function firstAfter(names, after) {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function stamp(obj, ns) {
  const rv = String(++revision);
  obj.metadata = { ...obj.metadata, namespace: ns, resourceVersion: rv };
  obj.metadata.uid ??= randomUUID();
  obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return { text: JSON.stringify(obj), rv };
}

function listObjects(res, b, url, kind) {
  const limit = Number(url.searchParams.get('limit') || 0);
  const cont = url.searchParams.get('continue');
  const names = b ? sortedNames(b) : [];
  let start = 0;
  if (cont) {
    let after;
    try {
      after = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')).after;
    } catch {
      return status(res, 400, 'BadRequest', 'invalid continue token');
    }
    start = firstAfter(names, String(after));
  }
  const end = limit > 0 ? Math.min(names.length, start + limit) : names.length;
  const page = names.slice(start, end);
  const meta = { resourceVersion: String(revision) };
  if (end < names.length) {
    meta.continue = Buffer.from(JSON.stringify({ after: page[page.length - 1] })).toString('base64url');
    meta.remainingItemCount = names.length - end;
  }
  const items = page.map((n) => b.items.get(n).text).join(',');
  send(res, 200, `{"apiVersion":"${kind.apiVersion}","kind":"${kind.listKind}","metadata":${JSON.stringify(meta)},"items":[${items}]}`);
}

function customObjects(req, res, url, parts, body) {
  // parts: apis, group, version, namespaces, ns, plural[, name]
  const [, group, version, , ns, plural, name] = parts;
  const crd = crds.get(`${plural}.${group}`);
  if (!served.has(`${group}/${plural}`) || !crd || !crd.spec.versions.some((v) => v.name === version)) {
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  const kind = { apiVersion: `${group}/${version}`, listKind: crd.spec.names.listKind ?? `${crd.spec.names.kind}List` };
  const key = `${group}/${plural}/${ns}`;
  const what = `${plural}.${group} "${name ?? body?.metadata?.name ?? ''}"`;
  if (!name) {
    if (req.method === 'GET') return listObjects(res, bucket(key, false), url, kind);
    if (req.method !== 'POST') return status(res, 405, 'MethodNotAllowed', 'method not allowed');
    const n = body?.metadata?.name;
    if (typeof n !== 'string' || !NAME.test(n) || n.length > 253) return status(res, 422, 'Invalid', `${what} is invalid: metadata.name`);
    const b = bucket(key, true);
    if (b.items.has(n)) return status(res, 409, 'AlreadyExists', `${what} already exists`);
    const stored = stamp(body, ns);
    b.items.set(n, stored);
    b.sorted = null;
    return send(res, 201, stored.text);
  }
  const b = bucket(key, false);
  const cur = b?.items.get(name);
  if (req.method === 'GET') return cur ? send(res, 200, cur.text) : status(res, 404, 'NotFound', `${what} not found`);
  if (req.method === 'PUT') {
    if (!cur) return status(res, 404, 'NotFound', `${what} not found`);
    if (body?.metadata?.name !== name) return status(res, 400, 'BadRequest', 'the name of the object does not match the URL');
    const rv = body.metadata.resourceVersion;
    if (!rv) return status(res, 422, 'Invalid', `${what} is invalid: metadata.resourceVersion: must be specified for an update`);
    if (rv !== cur.rv) return status(res, 409, 'Conflict', `Operation cannot be fulfilled on ${what}: the object has been modified; please apply your changes to the latest version and try again`);
    const stored = stamp(body, ns);
    b.items.set(name, stored);
    return send(res, 200, stored.text);
  }
  if (req.method === 'DELETE') {
    if (!cur) return status(res, 404, 'NotFound', `${what} not found`);
    const pre = body?.preconditions?.resourceVersion;
    if (pre && pre !== cur.rv) return status(res, 409, 'Conflict', `Operation cannot be fulfilled on ${what}: Precondition failed: ResourceVersion in precondition: ${pre}, ResourceVersion in object meta: ${cur.rv}`);
    b.items.delete(name);
    b.sorted = null;
    revision++;
    return send(res, 200, cur.text);
  }
  return status(res, 405, 'MethodNotAllowed', 'method not allowed');
}

function definitions(req, res, name, body) {
  if (name) {
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'method not allowed');
    const crd = crds.get(name);
    return crd ? send(res, 200, crd) : status(res, 404, 'NotFound', `customresourcedefinitions.apiextensions.k8s.io "${name}" not found`);
  }
  if (req.method !== 'POST') return status(res, 405, 'MethodNotAllowed', 'method not allowed');
  const spec = body?.spec;
  const n = body?.metadata?.name;
  if (!spec?.group || !spec?.names?.plural || !spec?.names?.kind || !Array.isArray(spec.versions) || n !== `${spec.names.plural}.${spec.group}`) {
    return status(res, 422, 'Invalid', 'CustomResourceDefinition is invalid: metadata.name must be spec.names.plural+"."+spec.group');
  }
  if (crds.has(n)) return status(res, 409, 'AlreadyExists', `customresourcedefinitions.apiextensions.k8s.io "${n}" already exists`);
  const crd = { ...body, metadata: { ...body.metadata, resourceVersion: String(++revision), uid: randomUUID() } };
  crd.status = { conditions: [{ type: 'NamesAccepted', status: 'True' }, { type: 'Established', status: 'True' }], acceptedNames: spec.names };
  crds.set(n, crd);
  served.add(`${spec.group}/${spec.names.plural}`);
  return send(res, 201, crd);
}

/** Test-only: POST /_sim/seed {group, plural, namespace, count, prefix, template}; "$NAME" in the template is replaced. */
function seed(res, body) {
  const { group, plural, namespace, count, prefix = 'seed', template } = body ?? {};
  if (!served.has(`${group}/${plural}`) || typeof template !== 'string' || !(count > 0)) return status(res, 400, 'BadRequest', 'bad seed request');
  const b = bucket(`${group}/${plural}/${namespace}`, true);
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${String(i).padStart(width, '0')}`;
    b.items.set(name, stamp(JSON.parse(template.replaceAll('$NAME', name)), namespace));
  }
  b.sorted = null;
  return send(res, 201, { created: count });
}

const tls = { cert: readFileSync(opt.cert), key: readFileSync(opt.key) };
if (opt['client-ca']) Object.assign(tls, { ca: readFileSync(opt['client-ca']), requestCert: true, rejectUnauthorized: false });
const authenticated = (req) => req.headers.authorization === `Bearer ${opt.token}` || (Boolean(opt['client-ca']) && req.socket.authorized === true);

const server = createServer(tls, (req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    const url = new URL(req.url, 'https://sim');
    const parts = url.pathname.split('/').filter(Boolean);
    if (!authenticated(req)) return status(res, 401, 'Unauthorized', 'Unauthorized');
    let body;
    if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return status(res, 400, 'BadRequest', 'the body is not JSON');
      }
    }
    if (url.pathname === '/version') return send(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0-ferry-simulation' });
    if (parts[0] === '_sim') {
      if (parts[1] === 'seed' && req.method === 'POST') return seed(res, body);
      if (parts[1] === 'namespaces' && parts[2] && req.method === 'DELETE') {
        for (const k of [...buckets.keys()]) if (k.endsWith(`/${parts[2]}`)) buckets.delete(k);
        return send(res, 200, { dropped: parts[2] });
      }
      return status(res, 404, 'NotFound', 'no such helper');
    }
    if (parts[0] === 'apis' && parts[1] === 'apiextensions.k8s.io' && parts[2] === 'v1' && parts[3] === 'customresourcedefinitions' && parts.length <= 5) {
      return definitions(req, res, parts[4], body);
    }
    if (parts[0] === 'apis' && parts[3] === 'namespaces' && (parts.length === 6 || parts.length === 7)) return customObjects(req, res, url, parts, body);
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  });
});

server.listen(Number(opt.port), '127.0.0.1', () => {
  const { port } = server.address();
  if (opt['port-file']) writeFileSync(opt['port-file'], String(port));
  console.error(`kube-api simulation listening on https://127.0.0.1:${port}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
