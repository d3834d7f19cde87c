// The simulated node and data plane against a real control plane (etcd, kube-apiserver,
// kube-controller-manager): Deployment status, progress deadlines, crash loops and the traffic
// split all come from the real controllers reading what the simulator reports.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ControlPlane, startControlPlane } from '../../src/sandbox/control-plane';
import { DataPlane } from '../../src/sandbox/data-plane';
import { DEMO_CANARY_DEPLOYMENT, DEMO_STABLE_DEPLOYMENT, deploymentFullyAvailable, ensureDemoApp } from '../../src/sandbox/demo-app';
import { KubeletSimulator, SANDBOX_NODE_NAME } from '../../src/sandbox/kubelet-sim';
import { RPS_ANNOTATION } from '../../src/sandbox/traffic';

const NS = 'sim-test';
let dir: string;
let cp: ControlPlane;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let kubelet: KubeletSimulator;
let dataPlane: DataPlane;
const logLines: string[] = [];
const log = (line: string) => logLines.push(line);

/** Polls until `probe` returns a value other than undefined; fails with the last observation. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String((last as Error).message ?? last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function deployment(name: string, image: string, replicas: number, labels: Record<string, string>, progressDeadlineSeconds = 60): k8s.V1Deployment {
  return {
    metadata: { name, namespace: NS, labels },
    spec: {
      replicas, progressDeadlineSeconds,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'proxy', image, readinessProbe: { httpGet: { path: '/health', port: 8080 } } }] } },
    },
  };
}

async function podsOf(selector: string): Promise<k8s.V1Pod[]> {
  return (await core.listNamespacedPod({ namespace: NS, labelSelector: selector })).items;
}

async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${dataPlane.url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(zai_proxy_requests_total\{[^}]*\}) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function requestsOf(samples: Map<string, number>, deploymentName: string): number {
  let sum = 0;
  for (const [series, v] of samples) if (series.includes(`deployment="${deploymentName}"`) && series.includes(`namespace="${NS}"`)) sum += v;
  return sum;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-sim-'));
  cp = await startControlPlane({ dir, log });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cp.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  const behaviour = { readyDelayMs: 500, crashAfterMs: 500, crashPeriodMs: 1500 };
  kubelet = new KubeletSimulator(kc, { log, behaviour });
  await kubelet.start();
  dataPlane = new DataPlane(kc, { port: 0, log, behaviour, forgetAfterMs: 3000 });
  await dataPlane.start();
  await core.createNamespace({ body: { metadata: { name: NS } } });
}, 180_000);

afterAll(async () => {
  await dataPlane?.stop();
  await kubelet?.stop();
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('registers a Ready node', async () => {
  const node = await core.readNode({ name: SANDBOX_NODE_NAME });
  expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  expect(node.status?.capacity?.pods).toBeDefined();
});

test('a good image becomes 3/3 available, with scheduled, running, ready pods', async () => {
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('good', 'registry.local/app:1.0.0', 3, { app: 'good' }) });
  const d = await eventually('good to be 3/3 available', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'good', namespace: NS });
    return deploymentFullyAvailable(d) ? d : undefined;
  });
  expect(d.status?.availableReplicas).toBe(3);
  const pods = await podsOf('app=good');
  expect(pods).toHaveLength(3);
  for (const p of pods) {
    expect(p.spec?.nodeName).toBe(SANDBOX_NODE_NAME);
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toMatch(/^10\.244\./);
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: true, restartCount: 0, image: 'registry.local/app:1.0.0' });
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }
  expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(3);

  // a rolling update replaces every pod; the old ones terminate and are deleted
  await apps.patchNamespacedDeployment({ name: 'good', namespace: NS, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.local/app:1.1.0' }] });
  await eventually('the rollout to 1.1.0 to finish and old pods to go', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'good', namespace: NS });
    const pods = await podsOf('app=good');
    return deploymentFullyAvailable(d) && pods.length === 3 && pods.every((p) => p.spec?.containers[0]?.image === 'registry.local/app:1.1.0') ? true : undefined;
  });
});

test('-unready never becomes available and exceeds its progress deadline', async () => {
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('unready', 'registry.local/app:1.0.0-unready', 2, { app: 'unready' }, 5) });
  const progressing = await eventually('Progressing=False ProgressDeadlineExceeded', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'unready', namespace: NS });
    const c = d.status?.conditions?.find((x) => x.type === 'Progressing');
    return c?.status === 'False' ? { c, d } : undefined;
  }, 60_000);
  expect(progressing.c.reason).toBe('ProgressDeadlineExceeded');
  expect(progressing.d.status?.availableReplicas ?? 0).toBe(0);
  expect(progressing.d.status?.readyReplicas ?? 0).toBe(0);
  const pods = await podsOf('app=unready');
  expect(pods.length).toBeGreaterThan(0);
  for (const p of pods) {
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true, restartCount: 0 });
  }
  await eventually('an Unhealthy event', async () => {
    const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'reason=Unhealthy' });
    return events.items.length > 0 ? true : undefined;
  });
});

test('-crash crash-loops with a rising restart count and a BackOff event; -oom is OOMKilled', async () => {
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('crash', 'registry.local/app:1.0.0-crash', 1, { app: 'crash' }) });
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('oom', 'registry.local/app:1.0.0-oom', 1, { app: 'oom' }) });
  const first = await eventually('a crash-looping pod', async () => {
    const c = (await podsOf('app=crash'))[0]?.status?.containerStatuses?.[0];
    return c && c.restartCount >= 1 ? c : undefined;
  });
  expect(first.state?.waiting?.reason).toBe('CrashLoopBackOff');
  expect(first.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  expect(first.ready).toBe(false);
  await eventually('the restart count to rise', async () => {
    const c = (await podsOf('app=crash'))[0]?.status?.containerStatuses?.[0];
    return c && c.restartCount >= first.restartCount + 2 ? true : undefined;
  }, 30_000);
  const oom = await eventually('an OOMKilled pod', async () => {
    const c = (await podsOf('app=oom'))[0]?.status?.containerStatuses?.[0];
    return c?.lastState?.terminated ? c : undefined;
  });
  expect(oom.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  expect(oom.state?.waiting?.reason).toBe('CrashLoopBackOff');
  const backoff = await eventually('a BackOff event with a rising count', async () => {
    const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'reason=BackOff' });
    const e = events.items.find((x) => x.involvedObject.name?.startsWith('crash-') && (x.count ?? 0) >= 2);
    return e;
  }, 30_000);
  expect(backoff.type).toBe('Warning');
  const d = await apps.readNamespacedDeployment({ name: 'crash', namespace: NS });
  expect(d.status?.availableReplicas ?? 0).toBe(0);
});

test('the data plane splits a Service\'s traffic by ready replicas and follows scaling', async () => {
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web', 'registry.local/web:1.0.0', 3, { app: 'web', variant: 'production' }) });
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web-canary', 'registry.local/web:1.1.0-canary', 1, { app: 'web', variant: 'canary' }) });
  await core.createNamespacedService({
    namespace: NS,
    body: { metadata: { name: 'web', annotations: { [RPS_ANNOTATION]: '40' } }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } },
  });
  const routed = async (prod: number, canary: number) => {
    const routing = await (await fetch(`${dataPlane.url}/routing`)).json() as { series: { namespace: string; deployment: string; rps: number }[] };
    const rps = (name: string) => routing.series.filter((s) => s.namespace === NS && s.deployment === name).reduce((a, s) => a + s.rps, 0);
    return rps('web') === prod && rps('web-canary') === canary ? true : undefined;
  };
  await eventually('a 30/10 split', () => routed(30, 10));

  const a = await scrape();
  await new Promise((r) => setTimeout(r, 4000)); // measure a window of traffic (not a race: the split is already in force)
  const b = await scrape();
  const prod = requestsOf(b, 'web') - requestsOf(a, 'web');
  const canary = requestsOf(b, 'web-canary') - requestsOf(a, 'web-canary');
  expect(prod + canary).toBeGreaterThan(100);
  expect(prod / canary).toBeGreaterThan(2.5);
  expect(prod / canary).toBeLessThan(3.5);
  expect([...b.keys()].some((k) => k.includes('deployment="web-canary"') && k.includes('variant="canary"') && k.includes('status="500"'))).toBe(true);

  // scaling the canary up moves traffic; scaling it to zero stops its counters but keeps its series
  await apps.patchNamespacedDeploymentScale({ name: 'web-canary', namespace: NS, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
  await eventually('a 20/20 split', () => routed(20, 20));
  await apps.patchNamespacedDeploymentScale({ name: 'web-canary', namespace: NS, body: [{ op: 'replace', path: '/spec/replicas', value: 0 }] });
  await eventually('all traffic on web', () => routed(40, 0));
  await eventually('the canary pods to be deleted', async () => ((await podsOf('app=web,variant=canary')).length === 0 ? true : undefined));
  const c = await scrape();
  await new Promise((r) => setTimeout(r, 1000));
  const d = await scrape();
  expect(requestsOf(d, 'web-canary')).toBe(requestsOf(c, 'web-canary'));
  expect(requestsOf(d, 'web')).toBeGreaterThan(requestsOf(c, 'web'));

  // deleting the Deployment makes its series go absent after the forget delay
  await apps.deleteNamespacedDeployment({ name: 'web-canary', namespace: NS });
  await eventually('the canary series to disappear', async () => (requestsOf(await scrape(), 'web-canary') === 0 && ![...(await scrape()).keys()].some((k) => k.includes('web-canary')) ? true : undefined), 30_000);
});

// The simulators process the shared test stack runs (dist/sandbox/simulators-main.js), scraped by
// the stack's Prometheus: the demo app's traffic reaches Prometheus split 3:1.
const sharedStack = process.env.CP_TEST_STACK ? describe : describe.skip;
sharedStack('the stack\'s simulators process', () => {
  test('serves the demo app\'s traffic to Prometheus, split by replicas', async () => {
    const { endpoints } = JSON.parse(fs.readFileSync(process.env.CP_TEST_STACK!, 'utf8')) as { endpoints: Record<string, string> };
    const shared = new k8s.KubeConfig();
    shared.loadFromFile(endpoints.KUBECONFIG!);
    const namespace = `sim-demo-${Date.now().toString(36)}`;
    const app = await ensureDemoApp(shared, { namespace });
    expect(app.created).toContain(`Deployment ${namespace}/${DEMO_STABLE_DEPLOYMENT}`);
    const again = await ensureDemoApp(shared, { namespace });
    expect(again.created).toEqual([]);

    const dataPlaneUrl = endpoints.DATA_PLANE_URL!;
    await eventually('a 75/25 split of the demo Service', async () => {
      const routing = await (await fetch(`${dataPlaneUrl}/routing`)).json() as { series: { namespace: string; variant: string; rps: number }[] };
      const mine = routing.series.filter((s) => s.namespace === namespace);
      const rps = (variant: string) => mine.filter((s) => s.variant === variant).reduce((a, s) => a + s.rps, 0);
      return rps('production') === 75 && rps('canary') === 25 ? true : undefined;
    });
    const health = await fetch(`${dataPlaneUrl}/health/${namespace}/${DEMO_CANARY_DEPLOYMENT}`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', readyPods: 1 });

    const promUrl = endpoints.PROMETHEUS_URL!;
    const query = `sum by (variant) (zai_proxy_requests_total{namespace="${namespace}"})`;
    const byVariant = await eventually('Prometheus to have scraped both variants', async () => {
      const body = await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`)).json() as
        { data: { result: { metric: { variant?: string }; value: [number, string] }[] } };
      const v = Object.fromEntries(body.data.result.map((r) => [r.metric.variant, Number(r.value[1])]));
      return (v.production ?? 0) > 0 && (v.canary ?? 0) > 0 ? v : undefined;
    });
    expect(Object.keys(byVariant).sort()).toEqual(['canary', 'production']);
    await shared.makeApiClient(k8s.CoreV1Api).deleteNamespace({ name: namespace });
  });
});
