import type { V1Ingress, V1Pod, V1Service } from '@kubernetes/client-node';
import {
  canarySplits, computeShares, deploymentNameOf, latencySample, METRIC_DURATION, METRIC_REQUESTS, METRIC_TOKENS, normalQuantile,
  PodShare, RPS_ANNOTATION, sharesBySeries, TrafficModel, variantOf,
} from '../../../src/sandbox/traffic';

let seq = 0;
function pod(opts: { deployment: string; hash?: string; labels: Record<string, string>; image?: string; ready?: boolean; terminating?: boolean; namespace?: string }): V1Pod {
  const hash = opts.hash ?? 'abc123';
  const n = seq++;
  return {
    metadata: {
      name: `${opts.deployment}-${hash}-${n}`, namespace: opts.namespace ?? 'demo', uid: `uid-${n}`,
      labels: { ...opts.labels, 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${opts.deployment}-${hash}`, uid: 'rs', controller: true }],
      deletionTimestamp: opts.terminating ? new Date() : undefined,
    },
    spec: { containers: [{ name: 'proxy', image: opts.image ?? 'registry.local/zai-proxy:1.2.0' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}
function service(name: string, selector: Record<string, string>, rps?: number, namespace = 'demo'): V1Service {
  return { metadata: { name, namespace, annotations: rps === undefined ? {} : { [RPS_ANNOTATION]: String(rps) } }, spec: { selector } };
}
function ingress(name: string, backend: string, annotations: Record<string, string> = {}, host = 'zp.local', path = '/'): V1Ingress {
  return {
    metadata: { name, namespace: 'demo', annotations },
    spec: { rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: backend, port: { number: 8080 } } } }] } }] },
  };
}
const canaryAnn = (w: string, total?: string) => ({
  'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': w,
  ...(total ? { 'nginx.ingress.kubernetes.io/canary-weight-total': total } : {}),
});
const stable = (extra: Partial<Parameters<typeof pod>[0]> = {}) => pod({ deployment: 'zai-proxy', hash: '74c86fcbb6', labels: { app: 'zai-proxy', variant: 'production' }, ...extra });
const canary = (extra: Partial<Parameters<typeof pod>[0]> = {}) => pod({ deployment: 'zai-proxy-canary', hash: '5bd78899bb', labels: { app: 'zai-proxy', variant: 'canary' }, ...extra });
const rpsBy = (shares: PodShare[]) => Object.fromEntries(sharesBySeries(shares).map((s) => [`${s.service}/${s.variant}`, s.rps]));

describe('pod identity', () => {
  it('derives the deployment from the owner ReplicaSet minus the template hash', () => {
    expect(deploymentNameOf(stable())).toBe('zai-proxy');
    expect(deploymentNameOf(canary())).toBe('zai-proxy-canary');
    expect(deploymentNameOf({ metadata: { name: 'bare' } })).toBe('bare');
    expect(deploymentNameOf({ metadata: { name: 'x', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: '1' }] } })).toBe('db');
  });
  it('uses the variant label, else the deployment name', () => {
    expect(variantOf(canary())).toBe('canary');
    expect(variantOf(pod({ deployment: 'zai-proxy-v2', labels: { app: 'zai-proxy' } }))).toBe('zai-proxy-v2');
  });
});

describe('routing shares', () => {
  it('replicas router: each ready pod an equal share', () => {
    const shares = computeShares({ pods: [stable(), stable(), stable(), canary()], services: [service('zai-proxy', { app: 'zai-proxy' }, 100)] });
    expect(rpsBy(shares)).toEqual({ 'zai-proxy/production': 75, 'zai-proxy/canary': 25 });
    expect(shares).toHaveLength(4);
    expect(shares.every((s) => s.rps === 25)).toBe(true);
  });

  it('ignores pods that are not ready, terminating, or in another namespace, and services without rps', () => {
    const shares = computeShares({
      pods: [stable(), stable({ ready: false }), stable({ terminating: true }), canary(), canary({ namespace: 'other' })],
      services: [service('zai-proxy', { app: 'zai-proxy' }, 100), service('quiet', { app: 'zai-proxy' })],
    });
    expect(rpsBy(shares)).toEqual({ 'zai-proxy/production': 50, 'zai-proxy/canary': 50 });
  });

  it('drops traffic of a service without ready pods, and selects nothing with an empty selector', () => {
    expect(computeShares({ pods: [canary({ ready: false })], services: [service('zai-proxy', { app: 'zai-proxy' }, 100)] })).toEqual([]);
    expect(computeShares({ pods: [stable()], services: [service('all', {}, 100)] })).toEqual([]);
  });

  it('serviceSelector router: a selector switch moves all traffic', () => {
    const pods = [stable(), pod({ deployment: 'zai-proxy-v2', labels: { app: 'zai-proxy', version: 'v2' } })];
    const before = computeShares({ pods, services: [service('zai-proxy', { app: 'zai-proxy', variant: 'production' }, 10)] });
    expect(rpsBy(before)).toEqual({ 'zai-proxy/production': 10 });
    const after = computeShares({ pods, services: [service('zai-proxy', { app: 'zai-proxy', version: 'v2' }, 10)] });
    expect(rpsBy(after)).toEqual({ 'zai-proxy/zai-proxy-v2': 10 });
  });

  it('nginx router: the canary Ingress weight splits the main Service traffic', () => {
    const pods = [stable(), stable(), canary()];
    const services = [
      service('zp-stable', { app: 'zai-proxy', variant: 'production' }, 200),
      service('zp-canary', { app: 'zai-proxy', variant: 'canary' }, 999), // ignored: canary backend
    ];
    const ingresses = [ingress('zp', 'zp-stable'), ingress('zp-canary', 'zp-canary', canaryAnn('20'))];
    expect(canarySplits(ingresses)).toEqual([{ namespace: 'demo', ingress: 'zp-canary', mainService: 'zp-stable', canaryService: 'zp-canary', weight: 0.2 }]);
    expect(rpsBy(computeShares({ pods, services, ingresses }))).toEqual({ 'zp-stable/production': 160, 'zp-canary/canary': 40 });

    const zero = [ingress('zp', 'zp-stable'), ingress('zp-canary', 'zp-canary', canaryAnn('0'))];
    expect(rpsBy(computeShares({ pods, services, ingresses: zero }))).toEqual({ 'zp-stable/production': 200 });
    const all = [ingress('zp', 'zp-stable'), ingress('zp-canary', 'zp-canary', canaryAnn('50', '50'))];
    expect(rpsBy(computeShares({ pods, services, ingresses: all }))).toEqual({ 'zp-canary/canary': 200 });
  });

  it('nginx router: needs a main Ingress on the same host; canary=false is no canary', () => {
    const pods = [stable(), canary()];
    const services = [service('zp-stable', { variant: 'production' }, 100), service('zp-canary', { variant: 'canary' })];
    const otherHost = [ingress('zp', 'zp-stable', {}, 'other.local'), ingress('zp-canary', 'zp-canary', canaryAnn('30'))];
    expect(canarySplits(otherHost)).toEqual([]);
    expect(rpsBy(computeShares({ pods, services, ingresses: otherHost }))).toEqual({ 'zp-stable/production': 100 });
    const off = [ingress('zp', 'zp-stable'), ingress('zp-canary', 'zp-canary', { ...canaryAnn('30'), 'nginx.ingress.kubernetes.io/canary': 'false' })];
    expect(canarySplits(off)).toEqual([]);
  });
});

describe('traffic model', () => {
  const share = (variant: string, rps: number, image = 'r/zai-proxy:1.2.0', uid = variant): PodShare => ({
    namespace: 'demo', name: `p-${uid}`, uid, deployment: variant === 'canary' ? 'zai-proxy-canary' : 'zai-proxy', variant, image, service: 'zai-proxy', rps,
  });
  const alive = new Set(['demo/zai-proxy', 'demo/zai-proxy-canary']);
  async function value(model: TrafficModel, metric: string, labels: Record<string, string>): Promise<number | undefined> {
    const m = await model.registry.getSingleMetric(metric)!.get();
    const found = m.values.filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
    return found.length ? found.reduce((a, v) => a + v.value, 0) : undefined;
  }
  async function histogramValues(model: TrafficModel) {
    const m = await model.registry.getSingleMetric(METRIC_DURATION)!.get();
    return m.values as { value: number; labels: Record<string, string | number | undefined>; metricName?: string }[];
  }
  function run(model: TrafficModel, shares: PodShare[], seconds: number, start = 0, aliveSet: Set<string> = alive) {
    for (let i = 1; i <= seconds * 4; i++) model.advance(shares, aliveSet, 0.25, start + i * 250);
  }

  it('counts exactly rps × time, split by share, with the baseline error rate', async () => {
    const model = new TrafficModel();
    run(model, [share('production', 25, undefined, 'a'), share('production', 25, undefined, 'b'), share('production', 25, undefined, 'c'), share('canary', 25)], 100);
    expect(await value(model, METRIC_REQUESTS, { variant: 'production' })).toBe(7500);
    expect(await value(model, METRIC_REQUESTS, { variant: 'canary' })).toBe(2500);
    const errors = await value(model, METRIC_REQUESTS, { variant: 'production', status: '500' });
    expect(errors! / 7500).toBeCloseTo(0.005, 3);
    const hist = await histogramValues(model);
    const count = hist.find((v) => v.metricName === `${METRIC_DURATION}_count` && v.labels.variant === 'canary');
    expect(count?.value).toBe(2500);
    const tokens = await value(model, METRIC_TOKENS, { variant: 'canary', type: 'input' });
    expect(tokens).toBe((2500 - (await value(model, METRIC_REQUESTS, { variant: 'canary', status: '500' }))!) * 400);
  });

  it('carries fractions between ticks', async () => {
    const model = new TrafficModel();
    run(model, [share('canary', 1.3)], 10);
    expect(await value(model, METRIC_REQUESTS, { variant: 'canary' })).toBe(13);
  });

  it('-bad answers ~30% 5xx, -slow is ~3x slower, -notokens counts no tokens', async () => {
    const model = new TrafficModel();
    run(model, [share('production', 100), share('canary', 100, 'r/zai-proxy:1.3.0-bad')], 20);
    expect((await value(model, METRIC_REQUESTS, { variant: 'canary', status: '500' }))! / 2000).toBeCloseTo(0.3, 2);

    const slow = new TrafficModel();
    run(slow, [share('production', 100), share('canary', 100, 'r/zai-proxy:1.2.1-canary-slow')], 20);
    const hist = await histogramValues(slow);
    const sum = (variant: string) => hist.find((v) => v.metricName === `${METRIC_DURATION}_sum` && v.labels.variant === variant)!.value;
    expect(sum('canary') / sum('production')).toBeCloseTo(3, 1);
    expect(sum('production') / 2000).toBeGreaterThan(0.045);
    expect(sum('production') / 2000).toBeLessThan(0.065);

    const nt = new TrafficModel();
    run(nt, [share('canary', 10, 'r/zai-proxy:1.2.1-notokens')], 5);
    expect(await value(nt, METRIC_TOKENS, { variant: 'canary' })).toBeUndefined();
    expect(await value(nt, METRIC_REQUESTS, { variant: 'canary' })).toBe(50);
  });

  it('exports zero-valued series at once, keeps idle series flat, forgets deleted deployments', async () => {
    const model = new TrafficModel({ forgetAfterMs: 5000 });
    model.advance([share('canary', 10)], alive, 0, 0);
    expect(await value(model, METRIC_REQUESTS, { variant: 'canary', status: '500' })).toBe(0);
    run(model, [share('canary', 10)], 2);
    const before = await value(model, METRIC_REQUESTS, { variant: 'canary' });
    run(model, [], 10, 2000); // scaled to zero: Deployment still exists
    expect(await value(model, METRIC_REQUESTS, { variant: 'canary' })).toBe(before);
    run(model, [], 4, 12_000, new Set()); // deleted: still there within forgetAfterMs
    expect(await value(model, METRIC_REQUESTS, { variant: 'canary' })).toBe(before);
    run(model, [], 2, 16_000, new Set());
    expect(await value(model, METRIC_REQUESTS, { variant: 'canary' })).toBeUndefined();
    expect(await value(model, METRIC_TOKENS, { variant: 'canary' })).toBeUndefined();
    expect(await model.metrics()).not.toContain('variant="canary"');
  });

  it('is deterministic', async () => {
    const a = new TrafficModel();
    const b = new TrafficModel();
    for (const m of [a, b]) run(m, [share('production', 37), share('canary', 11, 'r/x:1-slow')], 7);
    expect(await a.metrics()).toBe(await b.metrics());
  });

  it('samples a log-normal latency around the median', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 4);
    const samples = Array.from({ length: 1000 }, (_, k) => latencySample(0.05, k)).sort((x, y) => x - y);
    expect(samples[500]!).toBeCloseTo(0.05, 2);
    expect(samples[950]! / 0.05).toBeGreaterThan(2);
    expect(samples[950]! / 0.05).toBeLessThan(2.6);
  });
});
