// Cluster fixtures for integration tests: a fresh namespace with the demo app, full object
// snapshots for "exactly as before" comparisons, and bounded polling.
import * as k8s from '@kubernetes/client-node';
import { ensureDemoApp, DemoApp } from '../../src/sandbox/demo-app';
import { testKube, uniqueName } from './stack';

/** A namespace of its own with the demo app (stable 3 replicas, canary 1, one Service). */
export async function freshApp(prefix: string): Promise<DemoApp> {
  return ensureDemoApp(testKube().config, { namespace: uniqueName(prefix) });
}

/** Strips what the API server and controllers own, keeping everything a user or we could set. */
function comparable(obj: k8s.KubernetesObject & { spec?: unknown }): unknown {
  const annotations = { ...(obj.metadata?.annotations ?? {}) };
  // The revision counter always moves forward, even when a rollback restores the old template.
  delete annotations['deployment.kubernetes.io/revision'];
  return { name: obj.metadata?.name, labels: obj.metadata?.labels ?? {}, annotations, spec: obj.spec };
}

/** Every Deployment, Service and Ingress of the namespace, as comparable data. */
export async function namespaceObjects(namespace: string): Promise<Record<string, unknown>> {
  const kube = testKube();
  const out: Record<string, unknown> = {};
  for (const d of (await kube.apps.listNamespacedDeployment({ namespace })).items) out[`Deployment/${d.metadata!.name}`] = comparable(d);
  for (const s of (await kube.core.listNamespacedService({ namespace })).items) out[`Service/${s.metadata!.name}`] = comparable(s);
  for (const i of (await kube.networking.listNamespacedIngress({ namespace })).items) out[`Ingress/${i.metadata!.name}`] = comparable(i);
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

export async function readDeployment(namespace: string, name: string): Promise<k8s.V1Deployment> {
  return testKube().apps.readNamespacedDeployment({ namespace, name });
}

/** Polls until `probe` returns a value, or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function imageOf(d: k8s.V1Deployment, container = 'proxy'): string | undefined {
  return d.spec?.template.spec?.containers.find((c) => c.name === container)?.image;
}

/** ingress-nginx style: a main Ingress and a canary Ingress, each over its own Service. */
export async function withNginxIngresses(app: DemoApp): Promise<void> {
  const kube = testKube();
  const ns = app.namespace;
  // The shared Service must not also carry traffic of its own in this setup.
  const shared = await kube.core.readNamespacedService({ namespace: ns, name: app.service });
  delete shared.metadata!.annotations!['sandbox.canary-promoter.io/rps'];
  await kube.core.replaceNamespacedService({ namespace: ns, name: app.service, body: shared });
  for (const [name, variant, rps] of [['zai-proxy-stable', 'production', '100'], ['zai-proxy-canary', 'canary', undefined]] as const) {
    await kube.core.createNamespacedService({ namespace: ns, body: {
      metadata: { name, annotations: rps ? { 'sandbox.canary-promoter.io/rps': rps } : {} },
      spec: { selector: { app: 'zai-proxy', variant }, ports: [{ port: 8080 }] },
    } });
  }
  const ingress = (name: string, service: string, annotations: Record<string, string>) => ({
    metadata: { name, annotations },
    spec: { rules: [{ host: 'zai-proxy.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 8080 } } } }] } }] },
  });
  await kube.networking.createNamespacedIngress({ namespace: ns, body: ingress('zai-proxy', 'zai-proxy-stable', {}) });
  await kube.networking.createNamespacedIngress({ namespace: ns, body: ingress('zai-proxy-canary', 'zai-proxy-canary', {
    'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '0',
  }) });
}

