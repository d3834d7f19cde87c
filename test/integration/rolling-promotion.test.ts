// The first promotion end to end on the real stack: Temporal dev server, kube-apiserver with
// the deployment controller, the simulated kubelet.
import { DemoApp } from '../../src/sandbox/demo-app';
import { freshApp, imageOf, namespaceObjects, readDeployment } from '../support/cluster';
import { rollingSpec, specFromYaml, targetYaml } from '../support/specs';
import { usePromotionWorker } from '../support/promotions';

const { run } = usePromotionWorker('rolling');

describe('rolling promotion on the real cluster', () => {
  let app: DemoApp;
  beforeEach(async () => {
    app = await freshApp('rolling');
  });

  test('a good image is promoted: new image, all replicas ready, one new revision', async () => {
    const before = await readDeployment(app.namespace, app.stable);
    const result = await run(rollingSpec(app, { image: 'registry.local/zai-proxy:1.2.1' }));

    expect(result.outcome).toBe('promoted');
    const after = await readDeployment(app.namespace, app.stable);
    expect(imageOf(after)).toBe('registry.local/zai-proxy:1.2.1');
    expect(after.status?.readyReplicas).toBe(3);
    expect(after.status?.updatedReplicas).toBe(3);
    const revision = (d: typeof after) => Number(d.metadata?.annotations?.['deployment.kubernetes.io/revision']);
    expect(revision(after)).toBe(revision(before) + 1);
  });

  test('an -unready image passes the progress deadline and is rolled back to exactly the previous state', async () => {
    const before = await namespaceObjects(app.namespace);
    const result = await run(rollingSpec(app, { image: 'registry.local/zai-proxy:1.2.1-unready', progress: '8s' }));

    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(/progress deadline/);
    expect(result.restored.some((r) => r.includes(`Deployment ${app.namespace}/${app.stable}`))).toBe(true);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
    const after = await readDeployment(app.namespace, app.stable);
    expect(imageOf(after)).toBe('registry.local/zai-proxy:1.2.0');
    expect(after.status?.readyReplicas).toBe(3);
    expect(after.status?.availableReplicas).toBe(3);
    expect(after.status?.updatedReplicas).toBe(3);
    // The rolled-back pods' diagnostics name the Deployment that failed.
    expect(result.diagnostics?.deployments.map((d) => d.name)).toContain(app.stable);
  });
});

describe('after a promotion', () => {
  test('the post-promotion watch rolls a regression back to the previous revision', async () => {
    const app = await freshApp('watch');
    const before = await namespaceObjects(app.namespace);
    const spec = specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}image: registry.local/zai-proxy:1.2.1-bad
strategy:
  rolling:
    steps: []
analysis:
  checks:
    - name: stable-error-rate
      prometheus:
        query: >-
          sum(rate(zai_proxy_requests_total{namespace="{{namespace}}",deployment="{{stable}}",status=~"5.."}[10s]))
          / sum(rate(zai_proxy_requests_total{namespace="{{namespace}}",deployment="{{stable}}"}[10s]))
      condition: { below: 0.05 }
      interval: 2s
      initialDelay: 4s
postPromotion: { watch: 5m, checks: [stable-error-rate] }
deadlines: { promotion: 10m, progress: 1m }
`);
    const result = await run(spec);
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(/check stable-error-rate failed/);
    expect(result.events.some((e) => e.kind === 'watch')).toBe(true);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
    expect((await readDeployment(app.namespace, app.stable)).status?.readyReplicas).toBe(3);
  });
});

describe('pre-flight', () => {
  test('a target that does not exist fails before anything changes, naming the object', async () => {
    const app = await freshApp('preflight');
    const before = await namespaceObjects(app.namespace);
    const result = await run(rollingSpec({ ...app, stable: 'zai-proxxy' }, { image: 'registry.local/zai-proxy:1.2.1' }));
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(new RegExp(`deployment ${app.namespace}/zai-proxxy: not found`));
    expect(result.restored).toEqual([]);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
  });

  test('a container name that is not in the pod template fails before anything changes', async () => {
    const app = await freshApp('preflight-c');
    const before = await namespaceObjects(app.namespace);
    const result = await run(rollingSpec({ ...app, container: 'sidecar' }, { image: 'registry.local/zai-proxy:1.2.1' }));
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(/has no container "sidecar"; containers: proxy/);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
  });
});
