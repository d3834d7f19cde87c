// The demo workload of `npm start`: the seed service's shape (zai-proxy with a production and a
// canary Deployment behind one Service), created idempotently in its own namespace.
import * as k8s from '@kubernetes/client-node';
import { apiStatusCode, errorText } from './kubelet-sim';
import { RPS_ANNOTATION } from './traffic';

export const DEMO_NAMESPACE = 'demo';
export const DEMO_APP_LABEL = 'zai-proxy';
export const DEMO_STABLE_DEPLOYMENT = 'zai-proxy';
export const DEMO_CANARY_DEPLOYMENT = 'zai-proxy-canary';
export const DEMO_SERVICE = 'zai-proxy';
export const DEMO_CONTAINER = 'proxy';
export const DEMO_STABLE_IMAGE = 'registry.local/zai-proxy:1.2.0';
export const DEMO_CANARY_IMAGE = 'registry.local/zai-proxy:1.2.1-canary';
export const DEMO_STABLE_REPLICAS = 3;
export const DEMO_CANARY_REPLICAS = 1;
export const DEMO_PORT = 8080;
export const DEMO_RPS = 100;

export interface DemoAppOptions {
  namespace?: string;
  /** how long to wait for both Deployments to be fully available */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface DemoApp {
  namespace: string;
  stable: string;
  canary: string;
  service: string;
  container: string;
  /** objects this call created (the rest existed already) */
  created: string[];
}

export function demoDeployment(namespace: string, name: string, variant: string, image: string, replicas: number): k8s.V1Deployment {
  const labels = { app: DEMO_APP_LABEL, variant };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      progressDeadlineSeconds: 60,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: DEMO_CONTAINER,
            image,
            ports: [{ name: 'http', containerPort: DEMO_PORT }],
            env: [{ name: 'DEPLOYMENT_VARIANT', value: variant }],
            readinessProbe: { httpGet: { path: '/health', port: DEMO_PORT }, periodSeconds: 5, failureThreshold: 3 },
            resources: { requests: { cpu: '50m', memory: '64Mi' } },
          }],
        },
      },
    },
  };
}

export function demoService(namespace: string): k8s.V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: DEMO_SERVICE, namespace, labels: { app: DEMO_APP_LABEL }, annotations: { [RPS_ANNOTATION]: String(DEMO_RPS) } },
    spec: { selector: { app: DEMO_APP_LABEL }, ports: [{ name: 'http', port: DEMO_PORT, targetPort: 'http' }] },
  };
}

/** Creates what is missing (never overwrites) and waits until both Deployments are fully available. */
export async function ensureDemoApp(kc: k8s.KubeConfig, opts: DemoAppOptions = {}): Promise<DemoApp> {
  const namespace = opts.namespace ?? DEMO_NAMESPACE;
  const log = opts.log ?? (() => undefined);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const created: string[] = [];
  const createIfMissing = async (what: string, create: () => Promise<unknown>) => {
    try {
      await create();
      created.push(what);
      log(`demo: created ${what}`);
    } catch (err) {
      if (apiStatusCode(err) !== 409) throw new Error(`demo: creating ${what} failed: ${errorText(err)}`);
    }
  };
  await createIfMissing(`Namespace ${namespace}`, () => core.createNamespace({ body: { metadata: { name: namespace } } }));
  const deployments = [
    demoDeployment(namespace, DEMO_STABLE_DEPLOYMENT, 'production', DEMO_STABLE_IMAGE, DEMO_STABLE_REPLICAS),
    demoDeployment(namespace, DEMO_CANARY_DEPLOYMENT, 'canary', DEMO_CANARY_IMAGE, DEMO_CANARY_REPLICAS),
  ];
  for (const d of deployments) {
    await createIfMissing(`Deployment ${namespace}/${d.metadata!.name}`, () => apps.createNamespacedDeployment({ namespace, body: d }));
  }
  await createIfMissing(`Service ${namespace}/${DEMO_SERVICE}`, () => core.createNamespacedService({ namespace, body: demoService(namespace) }));

  const timeoutMs = opts.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const states = await Promise.all(deployments.map((d) => apps.readNamespacedDeployment({ name: d.metadata!.name!, namespace })));
    const pending = states.filter((d) => !deploymentFullyAvailable(d));
    if (pending.length === 0) break;
    last = pending.map(describeDeployment).join('; ');
    if (Date.now() > deadline) throw new Error(`demo: Deployments not available after ${timeoutMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`demo: ${namespace}/${DEMO_STABLE_DEPLOYMENT} and ${namespace}/${DEMO_CANARY_DEPLOYMENT} available`);
  return { namespace, stable: DEMO_STABLE_DEPLOYMENT, canary: DEMO_CANARY_DEPLOYMENT, service: DEMO_SERVICE, container: DEMO_CONTAINER, created };
}

/** Rolled out: status caught up with the spec and every replica updated, ready and available. */
export function deploymentFullyAvailable(d: k8s.V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1)
    && (s.updatedReplicas ?? 0) === want && (s.readyReplicas ?? 0) === want
    && (s.availableReplicas ?? 0) === want && (s.replicas ?? 0) === want;
}

function describeDeployment(d: k8s.V1Deployment): string {
  const s = d.status ?? {};
  return `${d.metadata?.name}: ${s.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} available, ${s.updatedReplicas ?? 0} updated, ${s.readyReplicas ?? 0} ready`;
}
