// Prometheus checks against the real Prometheus scraping the simulated data plane, through the
// real promotion workflow and activities: canary promotions with the replicas router, a
// setWeight step, analysis steps and background checks during a bake.
import { formatNumber } from '../../src/analysis/format';
import { parseDuration } from '../../src/spec/duration';
import { eventually, freshApp, imageOf, namespaceObjects, readDeployment } from '../support/cluster';
import {
  BAD, canarySpec, checks, GOOD, lastOf, measurementEvents, NOTOKENS, promQuery, Runner, sharedPrometheusUrl, SLOW, statusWhen, stepStatus,
} from './support-analysis';

const runner = new Runner();
beforeAll(() => runner.open());
afterEach(() => runner.stopWorkers());
afterAll(() => runner.close());

test('a good canary passes error rate, p95 relative to stable and alerts, and is promoted', async () => {
  const app = await freshApp('an-good');
  const spec = canarySpec(app, {
    image: GOOD,
    steps: [{ setWeight: 33 }, { analysis: { checks: ['error-rate', 'p95', 'canary-alerts'] } }],
    checks: [checks.errorRate({ count: 3 }), checks.p95({ count: 3 }), checks.canaryAlerts(app.namespace, { count: 3 })],
  });
  const r = await runner.run(spec);

  expect(r.reason).toBe('every step passed');
  expect(r.outcome).toBe('promoted');
  expect(stepStatus(r, 'analyse error-rate, p95, canary-alerts')).toBe('done');
  const errorRate = lastOf(r.measurements, 'error-rate')!;
  expect(errorRate).toMatchObject({ verdict: 'pass', threshold: '< 0.05' });
  expect(errorRate.value).toBeLessThan(0.05);
  const p95 = lastOf(r.measurements, 'p95')!;
  expect(p95.verdict).toBe('pass');
  const bound = /^<= (\S+) \(1\.5 × stable (\S+)\)$/.exec(p95.threshold ?? '');
  expect(bound).not.toBeNull();
  expect(p95.value).toBeGreaterThan(0);
  expect(p95.value).toBeLessThanOrEqual(Number(bound![1]));
  expect(Number(bound![2])).toBeGreaterThan(0);
  expect(lastOf(r.measurements, 'canary-alerts')).toMatchObject({ verdict: 'pass', value: 0 });
  // Nothing but passes: no measurement was a failure, an error or inconclusive.
  expect(r.events.filter((e) => e.kind === 'measurement')).toEqual([]);
  expect(imageOf(await readDeployment(app.namespace, app.stable))).toBe(GOOD);
});

test('a -bad canary fails on its sustained error rate during the bake and is rolled back', async () => {
  const app = await freshApp('an-bad');
  const before = await namespaceObjects(app.namespace);
  const spec = canarySpec(app, {
    image: BAD,
    steps: [{ setWeight: 33 }, { bake: '2m' }],
    checks: [checks.errorRate({ for: '6s' })],
    background: ['error-rate'],
  });
  const r = await runner.run(spec);

  expect(r.outcome).toBe('rolled-back');
  // Decided by the analysis while baking, long before the bake's end.
  expect(stepStatus(r, 'set weight 33%')).toBe('done');
  expect(stepStatus(r, 'bake 2m')).toBe('failed');
  const m = lastOf(r.measurements, 'error-rate')!;
  expect(m.verdict).toBe('fail');
  expect(m.threshold).toBe('< 0.05');
  expect(m.value).toBeGreaterThan(0.05);
  // The reason names the check and quotes the measured value, and the breach lasted `for`.
  const match = /^check error-rate failed: (\S+) >= 0\.05 \(for (\S+)\)$/.exec(r.reason);
  expect(match).not.toBeNull();
  expect(match![1]).toBe(formatNumber(m.value!));
  expect(parseDuration(match![2]!)).toBeGreaterThanOrEqual(6_000);
  // A sustained breach: several fail measurements before one counted, none of them errors.
  const events = measurementEvents(r.events, 'error-rate');
  expect(events.filter((e) => e.verdict === 'fail').length).toBeGreaterThanOrEqual(2);
  expect(events.every((e) => e.verdict === 'fail')).toBe(true);
  expect(await namespaceObjects(app.namespace)).toEqual(before);
});

test('a -slow canary fails p95 relative to stable while its error rate passes', async () => {
  const app = await freshApp('an-slow');
  const spec = canarySpec(app, {
    image: SLOW,
    // The error rate must pass on its own first; then both are watched through the bake.
    steps: [{ setWeight: 33 }, { analysis: { checks: ['error-rate'] } }, { bake: '2m' }],
    checks: [checks.errorRate({ count: 3 }), checks.p95()],
    background: ['error-rate', 'p95'],
  });
  const r = await runner.run(spec);

  expect(r.outcome).toBe('rolled-back');
  expect(stepStatus(r, 'analyse error-rate')).toBe('done');
  expect(stepStatus(r, 'bake 2m')).toBe('failed');
  const p95 = lastOf(r.measurements, 'p95')!;
  expect(p95.verdict).toBe('fail');
  const match = /^check p95 failed: (\S+) > (\S+) \(1\.5 × stable (\S+)\)$/.exec(r.reason);
  expect(match).not.toBeNull();
  expect(match![1]).toBe(formatNumber(p95.value!));
  expect(Number(match![1])).toBeGreaterThan(1.5 * Number(match![3]));
  // The error rate never failed, in the analysis step or during the bake.
  expect(measurementEvents(r.events, 'error-rate').filter((e) => e.verdict === 'fail')).toEqual([]);
  expect(imageOf(await readDeployment(app.namespace, app.canary))).toBe('registry.local/zai-proxy:1.2.1-canary');
});

describe('a metric that disappears follows the noData policy', () => {
  const spec = (app: Parameters<typeof canarySpec>[0], noData: 'fail' | 'pass') => canarySpec(app, {
    image: NOTOKENS,
    steps: [{ setWeight: 33 }, { bake: '40s' }],
    checks: [checks.tokens({ noData })],
    background: ['tokens'],
  });
  /** The same query as the check, rendered by hand: what Prometheus holds for one side. */
  const tokenRate = (ns: string, deployment: string) =>
    promQuery(sharedPrometheusUrl(), `sum(rate(zai_proxy_tokens_total{namespace="${ns}",deployment="${deployment}"}[10s])) > 0`);

  test('noData: fail rolls a -notokens canary back, saying there was no data', async () => {
    const app = await freshApp('an-nodata-fail');
    // The query has data while the canary counts tokens: emptiness later is the canary's doing.
    await eventually('token rate of the canary', async () => ((await tokenRate(app.namespace, app.canary)).length === 1 ? true : undefined));
    const r = await runner.run(spec(app, 'fail'));

    expect(r.outcome).toBe('rolled-back');
    expect(stepStatus(r, 'bake 40s')).toBe('failed');
    expect(r.reason).toBe('check tokens failed: no data (noData: fail)');
    expect(lastOf(r.measurements, 'tokens')).toMatchObject({ verdict: 'fail', reason: 'no data (noData: fail)' });
    expect(lastOf(r.measurements, 'tokens')!.value).toBeUndefined();
  });

  test('noData: pass lets the same -notokens canary through, its last measurement being no data', async () => {
    const app = await freshApp('an-nodata-pass');
    const handle = await runner.start(spec(app, 'pass'));
    // While it bakes on no data, the same query still answers for the stable side.
    await statusWhen(handle, 'a no-data measurement of tokens', (s) => lastOf(s.lastMeasurements, 'tokens')?.reason === 'no data (noData: pass)');
    expect(await tokenRate(app.namespace, app.canary)).toEqual([]);
    expect((await tokenRate(app.namespace, app.stable))[0]).toBeGreaterThan(0);
    const r = await handle.result();

    expect(r.outcome).toBe('promoted');
    expect(stepStatus(r, 'bake 40s')).toBe('done');
    expect(measurementEvents(r.events, 'tokens').filter((e) => e.verdict === 'fail' || e.verdict === 'inconclusive')).toEqual([]);
  });
});
