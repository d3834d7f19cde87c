// Each strategy and router on the real cluster: a good image is promoted; a failing one (analysis
// or abort) leaves every Deployment, Service and Ingress exactly as it was.
import { DemoApp } from '../../src/sandbox/demo-app';
import { abortSignal, PromotionResult, statusQuery } from '../../src/workflows/definitions';
import type { PromotionSpec } from '../../src/spec/types';
import { eventually, freshApp, imageOf, namespaceObjects, readDeployment, withNginxIngresses } from '../support/cluster';
import { specFromYaml, targetYaml } from '../support/specs';
import { testKube } from '../support/stack';
import { usePromotionWorker } from '../support/promotions';

const { start } = usePromotionWorker('strategies');

const errorRate = `analysis:
  defaults: { interval: 2s }
  checks:
    - name: error-rate
      prometheus:
        query: >-
          sum(rate(zai_proxy_requests_total{namespace="{{namespace}}",deployment="{{deployment}}",status=~"5.."}[10s]))
          / sum(rate(zai_proxy_requests_total{namespace="{{namespace}}",deployment="{{deployment}}"}[10s]))
      condition: { below: 0.05 }
      initialDelay: 6s
      count: 2
deadlines: { promotion: 10m, progress: 1m }
`;

function canarySpec(app: DemoApp, image: string, router: string, steps: string): PromotionSpec {
  return specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}image: ${image}
strategy:
  canary:
    router: ${router}
    steps:
${steps}
${errorRate}`);
}

describe('canary with the replicas router', () => {
  const steps = '      - setWeight: 34\n      - analysis: { checks: [error-rate] }';

  test('a good image is promoted: stable runs it on full capacity, the canary is scaled down', async () => {
    const app = await freshApp('canary-rep');
    const r: PromotionResult = await (await start(canarySpec(app, 'registry.local/zai-proxy:1.3.0', '{ replicas: {} }', steps))).result();
    expect(r.outcome).toBe('promoted');
    const stable = await readDeployment(app.namespace, app.stable);
    const canary = await readDeployment(app.namespace, app.canary);
    expect(imageOf(stable)).toBe('registry.local/zai-proxy:1.3.0');
    expect(stable.spec?.replicas).toBe(3);
    expect(stable.status?.readyReplicas).toBe(3);
    expect(canary.spec?.replicas).toBe(0);
  });

  test('a -bad image fails its analysis and every object is exactly as before', async () => {
    const app = await freshApp('canary-bad');
    const before = await namespaceObjects(app.namespace);
    const r: PromotionResult = await (await start(canarySpec(app, 'registry.local/zai-proxy:1.3.0-bad', '{ replicas: {} }', steps))).result();
    expect(r.outcome).toBe('rolled-back');
    expect(r.reason).toMatch(/check error-rate failed/);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
    const stable = await readDeployment(app.namespace, app.stable);
    expect(stable.status?.readyReplicas).toBe(3);
  });
});

describe('canary with the nginx router', () => {
  const router = '{ nginx: { ingress: zai-proxy-canary } }';

  test('a good image is promoted and the canary Ingress ends at weight 0 with the stable on the new image', async () => {
    const app = await freshApp('canary-nginx');
    await withNginxIngresses(app);
    const r: PromotionResult = await (await start(canarySpec(app, 'registry.local/zai-proxy:1.3.0', router, '      - setWeight: 30\n      - analysis: { checks: [error-rate] }'))).result();
    expect(r.outcome).toBe('promoted');
    const ing = await testKube().networking.readNamespacedIngress({ namespace: app.namespace, name: 'zai-proxy-canary' });
    expect(ing.metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('0');
    expect(imageOf(await readDeployment(app.namespace, app.stable))).toBe('registry.local/zai-proxy:1.3.0');
  });

  test('an abort while traffic is on the canary puts the Ingress, Services and Deployments back exactly', async () => {
    const app = await freshApp('canary-nginx-abort');
    await withNginxIngresses(app);
    const before = await namespaceObjects(app.namespace);
    const handle = await start(canarySpec(app, 'registry.local/zai-proxy:1.3.0', router, '      - setWeight: 30\n      - bake: { manual: true, deadline: 10m }'));
    await eventually('the manual gate', async () => ((await handle.query(statusQuery)).phase === 'waiting-for-approval' ? true : undefined), 120_000);
    const during = await testKube().networking.readNamespacedIngress({ namespace: app.namespace, name: 'zai-proxy-canary' });
    expect(during.metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('30');
    await handle.signal(abortSignal, { by: 'jest', reason: 'testing abort' });
    const r: PromotionResult = await handle.result();
    expect(r.outcome).toBe('rolled-back');
    expect(await namespaceObjects(app.namespace)).toEqual(before);
  });
});

describe('blue-green with the serviceSelector router', () => {
  const spec = (app: DemoApp, image: string, steps: string) => specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}image: ${image}
strategy:
  blueGreen:
    router: { serviceSelector: { service: ${app.service}, label: variant } }
    scaleDownDelay: 2s
    steps:
${steps}
${errorRate}`);

  test('a good image: the new side comes up at full size, the Service switches, the old side is scaled to 0', async () => {
    const app = await freshApp('bg-ok');
    const r: PromotionResult = await (await start(spec(app, 'registry.local/zai-proxy:1.3.0', '      - setWeight: 100\n      - analysis: { checks: [error-rate] }'))).result();
    expect(r.outcome).toBe('promoted');
    const svc = await testKube().core.readNamespacedService({ namespace: app.namespace, name: app.service });
    expect(svc.spec?.selector).toEqual({ app: 'zai-proxy', variant: 'canary' });
    const green = await readDeployment(app.namespace, app.canary);
    expect(imageOf(green)).toBe('registry.local/zai-proxy:1.3.0');
    expect(green.status?.readyReplicas).toBe(3);
    expect((await readDeployment(app.namespace, app.stable)).spec?.replicas).toBe(0);
  });

  test('a failing new side switches back: selector, replicas and images exactly as before', async () => {
    const app = await freshApp('bg-bad');
    const before = await namespaceObjects(app.namespace);
    const r: PromotionResult = await (await start(spec(app, 'registry.local/zai-proxy:1.3.0-bad', '      - setWeight: 100\n      - analysis: { checks: [error-rate] }'))).result();
    expect(r.outcome).toBe('rolled-back');
    expect(r.reason).toMatch(/check error-rate failed/);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
  });
});
