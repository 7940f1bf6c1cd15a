/**
 * examples/k8s/ read as Kubernetes would (every document of every file kustomization.yaml lists) and checked
 * against dex's Helm chart facts (test/fixtures/dex-helm/chart-facts.yaml), the image build (ports, user), Ferry's
 * kubernetes storage (the CRDs it creates and the API verbs it uses) and dex's own CRDs
 * (test/fixtures/dex-helm/dex-crds.yaml, from dex v2.45.1 storage/kubernetes/types.go).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { DOCUMENT_KINDS } from '../../../src/storage/document/backend.js';
import { allResources, crdManifest, GROUP } from '../../../src/storage/kubernetes/resources.js';
import { chartArgs, chartFacts } from './chart.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifests are untyped YAML
const DIR = 'examples/k8s';
const facts = chartFacts();
const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const docs: Obj[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${file} parses`);
    return d.toJS() as Obj;
  }).filter((o) => o !== null),
);
const one = (kind: string, name?: string): Obj => {
  const found = docs.filter((d) => d.kind === kind && (!name || d.metadata?.name === name));
  assert.equal(found.length, 1, `exactly one ${kind}${name ? ` ${name}` : ''}`);
  return found[0]!;
};
const deployment = one('Deployment');
const pod = deployment.spec.template.spec as Obj;
const container = pod.containers[0] as Obj;
const ferryCrds = allResources(DOCUMENT_KINDS);

describe('examples/k8s: the Deployment matches dex\'s Helm chart', () => {
  test('args: the chart\'s command line (grpc enabled), config last', () => {
    assert.deepEqual(container.args, chartArgs(facts, { grpc: true }));
    assert.equal(container.command, undefined, 'the image entrypoint is kept, as with the chart');
  });

  test('named ports equal the chart\'s, the image\'s exposed ports and the addresses in the args', () => {
    const build = readFileSync('scripts/image/build.sh', 'utf8');
    const exposed = [...build.matchAll(/--config\.exposedports (\d+)\/tcp/g)].map((m) => Number(m[1]));
    for (const p of container.ports as Obj[]) {
      assert.equal(p.containerPort, facts.container.ports[p.name as 'http'], `port ${p.name}`);
      assert.ok(exposed.includes(p.containerPort), `image exposes ${p.containerPort}`);
      assert.ok((container.args as string[]).includes(`0.0.0.0:${p.containerPort}`), `args listen on ${p.containerPort}`);
    }
    assert.deepEqual(exposed.sort(), Object.values(facts.container.ports).sort());
  });

  test('probes: the chart\'s paths on the telemetry port', () => {
    for (const [k, probe] of [['liveness', container.livenessProbe], ['readiness', container.readinessProbe]] as const) {
      assert.deepEqual(probe.httpGet, facts.container.probes[k]);
      assert.ok((container.ports as Obj[]).some((p) => p.name === probe.httpGet.port), 'probe port is a named port');
    }
  });

  test('config secret mounted read-only at /etc/dex, and it is a valid config for the kubernetes storage', () => {
    assert.deepEqual(container.volumeMounts, facts.container.volumeMounts);
    const volume = (pod.volumes as Obj[]).find((v) => v.name === 'config');
    const secret = one('Secret', volume?.secret?.secretName);
    const { config } = parseConfig(secret.stringData['config.yaml'] as string, {});
    assert.equal(config.storage.type, 'kubernetes');
  });

  test('securityContext: the chart\'s hardened suggestion, with the image\'s non-root uid', () => {
    const sc = container.securityContext as Obj;
    const want = facts.container.securityContextSuggested;
    assert.equal(sc.readOnlyRootFilesystem, want.readOnlyRootFilesystem);
    assert.equal(sc.runAsNonRoot, want.runAsNonRoot);
    assert.deepEqual(sc.capabilities.drop, want.capabilities.drop);
    assert.equal(`${sc.runAsUser}:${sc.runAsGroup}`, facts.image.user);
    assert.equal(sc.allowPrivilegeEscalation, false);
  });

  test('the Service targets named container ports on the chart\'s port numbers', () => {
    const svc = one('Service');
    assert.deepEqual(svc.spec.selector, deployment.spec.selector.matchLabels);
    assert.deepEqual(deployment.spec.template.metadata.labels, deployment.spec.selector.matchLabels);
    for (const p of svc.spec.ports as Obj[]) {
      assert.equal(p.port, facts.service.ports[p.name], `service port ${p.name}`);
      assert.ok((container.ports as Obj[]).some((c) => c.name === p.targetPort), `${p.targetPort} is a container port`);
    }
  });
});

describe('examples/k8s: RBAC and CRDs match the kubernetes storage', () => {
  test('crds.yaml is exactly what Ferry creates (regenerate: scripts/image/k8s-crds.mjs)', () => {
    const crds = docs.filter((d) => d.kind === 'CustomResourceDefinition');
    assert.deepEqual(crds, ferryCrds.map(crdManifest));
  });

  test('every CRD of dex v2.45.1 is there with dex\'s names, group and version', () => {
    const dex = parse(readFileSync('test/fixtures/dex-helm/dex-crds.yaml', 'utf8')) as { group: string; version: string; crds: string[][] };
    for (const [plural, singular, kind] of dex.crds) {
      const crd = one('CustomResourceDefinition', `${plural}.${dex.group}`);
      // dex's CRDs name no listKind (dex v2.45.1 storage/kubernetes/types.go customResourceDefinitions).
      assert.deepEqual(crd.spec.names, { plural, singular, kind });
      assert.equal(crd.spec.group, dex.group);
      assert.equal(crd.spec.scope, 'Namespaced');
      assert.deepEqual((crd.spec.versions as Obj[]).map((v) => v.name), [dex.version]);
    }
  });

  test('the Role covers every resource Ferry stores in, with the verbs its API calls need', () => {
    const role = one('Role');
    const rule = (role.rules as Obj[]).find((r) => (r.apiGroups as string[]).includes(GROUP));
    assert.ok(rule, `a rule for ${GROUP}`);
    for (const r of ferryCrds) assert.ok(rule.resources.includes(r.plural) || rule.resources.includes('*'), r.plural);
    // kube-backend.ts: GET one, GET collection, POST, PUT, DELETE.
    for (const verb of ['get', 'list', 'create', 'update', 'delete']) assert.ok(rule.verbs.includes(verb), verb);
  });

  test('the ClusterRole lets it read and create CRDs (crds.ts reads each by name at start)', () => {
    const rule = (one('ClusterRole').rules as Obj[])[0]!;
    assert.deepEqual(rule.apiGroups, ['apiextensions.k8s.io']);
    assert.deepEqual(rule.resources, ['customresourcedefinitions']);
    for (const verb of ['get', 'create']) assert.ok(rule.verbs.includes(verb), verb);
  });

  test('the bindings name the ServiceAccount the pod runs as', () => {
    const sa = one('ServiceAccount');
    assert.equal(pod.serviceAccountName, sa.metadata.name);
    for (const [binding, role] of [['RoleBinding', 'Role'], ['ClusterRoleBinding', 'ClusterRole']] as const) {
      const b = one(binding);
      assert.equal(b.roleRef.kind, role);
      assert.equal(b.roleRef.name, one(role).metadata.name);
      assert.ok((b.subjects as Obj[]).some((s) => s.kind === 'ServiceAccount' && s.name === sa.metadata.name));
    }
  });
});
