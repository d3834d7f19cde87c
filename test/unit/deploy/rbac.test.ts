// deploy/kubernetes/worker-rbac.yaml grants the worker exactly what it uses, in app namespaces
// only. (That the worker really works with it is proven against a real kube-apiserver by the
// integration tests.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '../../..');

interface PolicyRule { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** `group/resource` → sorted verbs. Every verb the worker may use, and nothing else. */
const EXPECTED: Record<string, string[]> = {
  'apps/deployments': ['get', 'update'],
  'apps/replicasets': ['list'],
  'core/pods': ['list'],
  'core/events': ['list'],
  // `update`: the routers write Services and Ingresses with a PUT (read-modify-write with
  // optimistic concurrency, src/activities/kubernetes/objects.ts).
  'core/services': ['get', 'update'],
  'networking.k8s.io/ingresses': ['get', 'update'],
};

const SA = { kind: 'ServiceAccount', name: 'canary-promoter', namespace: 'canary-promoter' };

function load(): Manifest[] {
  const text = fs.readFileSync(path.join(root, 'deploy/kubernetes/worker-rbac.yaml'), 'utf8');
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as Manifest;
  }).filter(Boolean);
}

const key = (group: string, resource: string) => `${group === '' ? 'core' : group}/${resource}`;

function grants(role: Manifest): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const rule of role.rules ?? []) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const set = (out[key(group, resource)] ??= new Set());
        rule.verbs.forEach((v) => set.add(v));
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

/**
 * The Kubernetes calls in src/activities, as RBAC sees them: `replaceNamespacedService` is
 * `update` on core/services. Calls through generic helpers are not seen; the integration tests
 * against a real API server cover those.
 */
function verbsUsedByActivities(): Record<string, string[]> {
  const verbOf: Record<string, string> = { read: 'get', list: 'list', replace: 'update', patch: 'patch', create: 'create', delete: 'delete' };
  const groupOf: Record<string, string> = { deployments: 'apps', replicasets: 'apps', ingresses: 'networking.k8s.io' };
  const used: Record<string, Set<string>> = {};
  const files = fs.readdirSync(path.join(root, 'src/activities'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, 'src/activities', file), 'utf8');
    for (const m of text.matchAll(/\b(read|list|replace|patch|create|delete)Namespaced([A-Z][A-Za-z]*)\s*\(/g)) {
      let kind = m[2]!;
      let sub = '';
      for (const suffix of ['Status', 'Scale', 'Log']) {
        if (kind.endsWith(suffix) && kind !== suffix) {
          sub = `/${suffix.toLowerCase()}`;
          kind = kind.slice(0, -suffix.length);
        }
      }
      const plural = kind.toLowerCase().endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`;
      (used[key(groupOf[plural] ?? '', plural + sub)] ??= new Set()).add(verbOf[m[1]!]!);
    }
  }
  return Object.fromEntries(Object.entries(used).map(([k, v]) => [k, [...v].sort()]));
}

describe('worker RBAC', () => {
  const manifests = load();
  const roles = manifests.filter((m) => m.kind === 'Role');
  const bindings = manifests.filter((m) => m.kind === 'RoleBinding');

  it('holds the ServiceAccount, Roles and RoleBindings, and no cluster-wide grant', () => {
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace }))).toEqual([SA]);
    expect(manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(roles.length).toBeGreaterThan(0);
    const allowed = new Set(['Namespace', 'ServiceAccount', 'Role', 'RoleBinding']);
    expect(manifests.map((m) => m.kind).filter((k) => !allowed.has(k))).toEqual([]);
  });

  it('puts Roles in app namespaces, never the worker\'s own', () => {
    for (const role of roles) {
      expect(role.metadata.namespace).toBeTruthy();
      expect(role.metadata.namespace).not.toBe(SA.namespace);
    }
    expect(roles.map((r) => r.metadata.namespace)).toContain('demo');
  });

  it('uses no wildcard, no resource names, no non-resource URLs and no secrets', () => {
    for (const rule of roles.flatMap((r) => r.rules ?? [])) {
      for (const field of [rule.apiGroups, rule.resources, rule.verbs]) expect(field ?? []).not.toContain('*');
      expect(rule.resources ?? []).not.toContain('secrets');
      expect((rule.resources ?? []).filter((r) => r.includes('*'))).toEqual([]);
      expect(rule.resourceNames).toBeUndefined();
      expect(rule.nonResourceURLs).toBeUndefined();
      for (const dangerous of ['create', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate']) expect(rule.verbs).not.toContain(dangerous);
    }
  });

  it('grants exactly the verbs the worker uses, per resource', () => {
    for (const role of roles) expect({ namespace: role.metadata.namespace, grants: grants(role) }).toEqual({ namespace: role.metadata.namespace, grants: EXPECTED });
  });

  it('covers every Kubernetes call the activities make', () => {
    const used = verbsUsedByActivities();
    expect(Object.keys(used).length).toBeGreaterThan(0);
    for (const role of roles) {
      const granted = grants(role);
      for (const [resource, verbs] of Object.entries(used)) {
        const missing = verbs.filter((v) => !(granted[resource] ?? []).includes(v));
        expect({ namespace: role.metadata.namespace, resource, missing }).toEqual({ namespace: role.metadata.namespace, resource, missing: [] });
      }
      // And nothing more: a verb no activity uses is privilege the worker does not need.
      for (const [resource, verbs] of Object.entries(granted)) {
        const unused = verbs.filter((v) => !(used[resource] ?? []).includes(v));
        expect({ resource, unused }).toEqual({ resource, unused: [] });
      }
    }
  });

  it('binds each Role, and only it, to the worker ServiceAccount in the Role\'s namespace', () => {
    for (const role of roles) {
      const mine = bindings.filter((b) => b.metadata.namespace === role.metadata.namespace && b.roleRef?.name === role.metadata.name);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
      expect(mine[0]!.subjects).toEqual([SA]);
    }
    for (const b of bindings) expect(b.roleRef?.kind).toBe('Role');
  });
});
