// Kubernetes and alerts checks on the real stack: a crash-looping canary (mid-bake, and as a
// candidate that never comes up) and a firing alert from a real alerting rule loaded into Prometheus
// (test/integration/fixtures/alert-rules.yaml, loaded by test/global-setup.ts).
import { freshApp, namespaceObjects } from '../support/cluster';
import { testKube } from '../support/stack';
import {
  BAD, canarySpec, checks, CRASH, GOOD, lastOf, measurementEvents, Runner, sharedPrometheusUrl, statusWhen, stepStatus,
} from './support-analysis';

const runner = new Runner();
beforeAll(() => runner.open());
afterEach(() => runner.stopWorkers());
afterAll(() => runner.close());

describe('a crash-looping canary', () => {
  test('a canary that starts crash-looping mid-bake fails the crashLoopBackOff check while its error rate passes', async () => {
    const app = await freshApp('an-crash-bake');
    const before = await namespaceObjects(app.namespace);
    const spec = canarySpec(app, {
      image: GOOD,
      steps: [{ setWeight: 33 }, { analysis: { checks: ['error-rate'] } }, { bake: '2m' }],
      checks: [checks.errorRate({ count: 2 }), checks.crashLoop()],
      background: ['crash-loop', 'error-rate'],
    });
    const handle = await runner.start(spec);
    await statusWhen(handle, 'a passing crash-loop measurement while baking',
      (s) => s.phase === 'baking' && lastOf(s.lastMeasurements, 'crash-loop')?.verdict === 'pass');
    // The candidate starts crashing after it was Ready (as a leak or a bad config reload would):
    // the next pod of the canary Deployment crash-loops, the Ready one keeps serving.
    const kube = testKube();
    const canary = await kube.apps.readNamespacedDeployment({ namespace: app.namespace, name: app.canary });
    canary.spec!.template.spec!.containers[0]!.image = CRASH;
    await kube.apps.replaceNamespacedDeployment({ namespace: app.namespace, name: app.canary, body: canary });
    const r = await handle.result();

    expect(r.outcome).toBe('rolled-back');
    expect(stepStatus(r, 'analyse error-rate')).toBe('done');
    expect(stepStatus(r, 'bake 2m')).toBe('failed');
    expect(r.reason).toBe('check crash-loop failed: 1 pod in CrashLoopBackOff');
    expect(lastOf(r.measurements, 'crash-loop')).toMatchObject({ verdict: 'fail', value: 1, threshold: '== 0' });
    // The metrics check passed its analysis and never failed while the pod crash-looped.
    expect(measurementEvents(r.events, 'error-rate').filter((e) => e.verdict === 'fail')).toEqual([]);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
  });

  // A candidate that never comes up is judged while its rollout is awaited, before any written
  // step: crash-looping new pods fail the rollout at once, long before the progress deadline
  // (5m here, past this test's timeout), and the diagnostics keep the evidence.
  test('a -crash candidate fails its rollout as soon as its new pods crash-loop, with the pods in the diagnostics', async () => {
    const app = await freshApp('an-crash');
    const before = await namespaceObjects(app.namespace);
    const spec = canarySpec(app, {
      image: CRASH,
      steps: [{ setWeight: 33 }, { bake: '1m' }],
      checks: [checks.crashLoop(), { name: 'restarts', kubernetes: { deployment: 'canary', measure: 'maxRestarts' }, condition: { atMost: 1 } }],
      background: ['crash-loop', 'restarts'],
      progress: '5m',
    });
    const handle = await runner.start(spec);
    const r = await handle.result();

    expect(r.outcome).toBe('rolled-back');
    expect(r.reason).toMatch(/^deployment zai-proxy-canary: new pods are failing: zai-proxy-canary-\S+ CrashLoopBackOff \(\d+ restarts\)/);
    expect(stepStatus(r, `set canary image ${CRASH}`)).toBe('failed');
    expect(stepStatus(r, 'set weight 33%')).toBe('pending');
    expect(r.measurements).toEqual([]);
    // Collected before the restore: the crash-looping pod itself, and the kubelet's BackOff event.
    const canaryPods = r.diagnostics?.deployments.find((d) => d.name === 'zai-proxy-canary')?.pods ?? [];
    expect(canaryPods.some((p) => p.reasons.includes('CrashLoopBackOff') && p.restarts >= 2)).toBe(true);
    expect(r.diagnostics?.events.some((e) => /^Warning BackOff Pod\/zai-proxy-canary-/.test(e))).toBe(true);
    expect(await namespaceObjects(app.namespace)).toEqual(before);
  });
});

test('a firing alert from a real alerting rule fails an alerts check on a -bad canary', async () => {
  const rules = (await (await fetch(`${sharedPrometheusUrl()}/api/v1/rules?type=alert`)).json()) as { data: { groups: { rules: { name: string }[] }[] } };
  expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toContain('ZaiProxyCanaryHighErrorRate');

  const app = await freshApp('an-alerts');
  const before = await namespaceObjects(app.namespace);
  const spec = canarySpec(app, {
    image: BAD,
    steps: [{ setWeight: 33 }, { bake: '2m' }],
    checks: [checks.canaryAlerts(app.namespace)],
    background: ['canary-alerts'],
  });
  const r = await runner.run(spec);

  expect(r.outcome).toBe('rolled-back');
  expect(stepStatus(r, 'bake 2m')).toBe('failed');
  expect(r.reason).toBe('check canary-alerts failed: 1 matching alert firing');
  expect(lastOf(r.measurements, 'canary-alerts')).toMatchObject({ verdict: 'fail', value: 1 });
  expect(measurementEvents(r.events, 'canary-alerts').every((e) => e.verdict === 'fail')).toBe(true);
  // It was this namespace's canary alert, as Prometheus had it (it may have resolved since).
  const firing = await fetch(`${sharedPrometheusUrl()}/api/v1/query?${new URLSearchParams({
    query: `last_over_time(ALERTS{alertname="ZaiProxyCanaryHighErrorRate",alertstate="firing",namespace="${app.namespace}"}[10m])`,
  })}`).then((res) => res.json()) as { data: { result: { metric: Record<string, string> }[] } };
  expect(firing.data.result.map((s) => s.metric.deployment)).toContain(app.canary);
  expect(await namespaceObjects(app.namespace)).toEqual(before);
});
