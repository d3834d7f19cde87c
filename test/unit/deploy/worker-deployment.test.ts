// deploy/kubernetes/worker-deployment.yaml runs the worker as the RBAC identity, restricted to the
// namespaces that identity has Roles in, unprivileged, with probes on /healthz.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { V1Deployment, V1Role } from '@kubernetes/client-node';

const root = path.resolve(__dirname, '../../..');
const docs = (file: string) => parseAllDocuments(fs.readFileSync(path.join(root, 'deploy/kubernetes', file), 'utf8')).map((d) => d.toJS());

describe('worker Deployment', () => {
  const deployment = docs('worker-deployment.yaml').find((d) => d?.kind === 'Deployment') as V1Deployment;
  const pod = deployment.spec!.template.spec!;
  const container = pod.containers.find((c) => c.name === 'worker')!;
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));

  it('runs as the canary-promoter ServiceAccount in its own namespace', () => {
    expect(deployment.metadata?.namespace).toBe('canary-promoter');
    expect(pod.serviceAccountName).toBe('canary-promoter');
    expect(pod.automountServiceAccountToken).not.toBe(false);
  });

  it('is allowed exactly the namespaces worker-rbac.yaml has Roles in', () => {
    const roleNamespaces = (docs('worker-rbac.yaml').filter((d) => d?.kind === 'Role') as V1Role[]).map((r) => r.metadata!.namespace!).sort();
    expect(env.PROMOTER_ALLOWED_NAMESPACES!.split(',').map((s) => s.trim()).sort()).toEqual(roleNamespaces);
  });

  it('uses the in-cluster identity and serves metrics on the pod IP', () => {
    expect(env.KUBECONFIG).toBeUndefined();
    expect(env).toMatchObject({ WORKER_METRICS_PORT: '9464', WORKER_SDK_METRICS_PORT: '9465', WORKER_METRICS_HOST: '0.0.0.0' });
    expect(env.TEMPORAL_ADDRESS).toBeTruthy();
    expect(env.PROMETHEUS_URL).toMatch(/^https?:\/\//);
    expect((container.ports ?? []).map((p) => p.containerPort).sort()).toEqual([9464, 9465]);
  });

  it('probes /healthz on the metrics port', () => {
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe?.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    }
    expect(container.ports).toContainEqual(expect.objectContaining({ name: 'metrics', containerPort: 9464 }));
  });

  it('runs unprivileged on a read-only root filesystem, with resources', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources?.limits?.memory).toBeDefined();
    expect(container.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/tmp' }));
  });
});
