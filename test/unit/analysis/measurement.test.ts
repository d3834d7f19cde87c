import { toMeasurement } from '../../../src/analysis/measurement';
import type { Observation } from '../../../src/analysis/types';
import type { CheckSource, NoDataPolicy } from '../../../src/spec/types';
import { makeCheck } from './helpers';

const AT = 1_767_225_600_000;

describe('source errors and empty answers', () => {
  test.each(['pass', 'fail', 'inconclusive'] as const)('an error is an error whatever the noData policy (%s)', (noData) => {
    expect(toMeasurement(makeCheck({ noData }), { kind: 'error', message: 'context deadline exceeded' }, AT)).toEqual({
      check: 'error-rate',
      verdict: 'error',
      reason: 'Prometheus could not be asked: context deadline exceeded',
      at: AT,
      dryRun: false,
    });
  });

  test.each<[NoDataPolicy]>([['pass'], ['fail'], ['inconclusive']])('no data follows noData: %s', (noData) => {
    expect(toMeasurement(makeCheck({ noData }), { kind: 'noData' }, AT)).toEqual({
      check: 'error-rate', verdict: noData, reason: `no data (noData: ${noData})`, at: AT, dryRun: false,
    });
  });

  test('noData applies to boolean sources too', () => {
    const check = makeCheck({ source: { kind: 'alerts', names: [], labels: {} }, noData: 'pass' });
    delete check.condition;
    expect(toMeasurement(check, { kind: 'noData' }, AT).verdict).toBe('pass');
  });
});

describe('sources without a condition count bad things: 0 passes', () => {
  const alerts: CheckSource = { kind: 'alerts', names: ['ZaiProxyCanaryHighErrorRate'], labels: {} };
  const http: CheckSource = { kind: 'http', url: 'http://c.demo.svc/health', expectStatus: 200, expectJson: { status: 'ok' } };
  const crash: CheckSource = { kind: 'kubernetes', deployment: 'canary', measure: 'crashLoopBackOff' };
  const oom: CheckSource = { kind: 'kubernetes', deployment: 'canary', measure: 'oomKilled' };

  test.each<[string, CheckSource, Observation, string, string]>([
    ['alerts, none firing', alerts, { kind: 'value', value: 0 }, 'pass', 'no matching alerts firing'],
    ['alerts, one firing', alerts, { kind: 'value', value: 1 }, 'fail', '1 matching alert firing'],
    ['alerts, detail from the source', alerts, { kind: 'value', value: 2, detail: '2 alerts firing: A, B' }, 'fail', '2 alerts firing: A, B'],
    ['http ok', http, { kind: 'value', value: 0 }, 'pass', 'responded with 200 and the expected JSON'],
    ['http bad', http, { kind: 'value', value: 1 }, 'fail', 'did not respond with 200 and the expected JSON'],
    ['http bad with detail', http, { kind: 'value', value: 1, detail: 'status 503, want 200' }, 'fail', 'status 503, want 200'],
    ['crash loop', crash, { kind: 'value', value: 1 }, 'fail', '1 pod in CrashLoopBackOff'],
    ['no crash loop', crash, { kind: 'value', value: 0 }, 'pass', 'no pod in CrashLoopBackOff'],
    ['OOM kills', oom, { kind: 'value', value: 2 }, 'fail', '2 containers OOMKilled'],
    ['NaN', alerts, { kind: 'value', value: NaN }, 'inconclusive', 'Prometheus (ALERTS) returned NaN; expected a count >= 0'],
    ['a negative count', oom, { kind: 'value', value: -1 }, 'inconclusive', 'the Kubernetes API (canary oomKilled) returned -1; expected a count >= 0'],
    ['sample series', alerts, { kind: 'samples', canary: [0], stable: [0] }, 'inconclusive', 'Prometheus (ALERTS) returned sample series; expected one count'],
  ])('%s', (_name, source, observation, verdict, reason) => {
    const check = makeCheck({ name: 'c', source });
    delete check.condition;
    expect(toMeasurement(check, observation, AT)).toMatchObject({ verdict, reason });
  });

  test('the measurement records value and threshold', () => {
    const check = makeCheck({ source: alerts });
    delete check.condition;
    expect(toMeasurement(check, { kind: 'value', value: 3 }, AT)).toMatchObject({ value: 3, threshold: '== 0' });
  });

  test('a boolean measure with a threshold uses the threshold', () => {
    const check = makeCheck({ source: crash, condition: { kind: 'threshold', op: '<=', value: 1 } });
    expect(toMeasurement(check, { kind: 'value', value: 1 }, AT)).toMatchObject({ verdict: 'pass', reason: '1 <= 1' });
  });
});

describe('conditions', () => {
  test('a threshold measurement carries value, threshold and reason', () => {
    expect(toMeasurement(makeCheck({ dryRun: true }), { kind: 'value', value: 0.31 }, AT)).toEqual({
      check: 'error-rate', verdict: 'fail', value: 0.31, threshold: '< 0.05', reason: '0.31 >= 0.05', at: AT, dryRun: true,
    });
  });

  test('the source’s detail is appended to the reason', () => {
    expect(toMeasurement(makeCheck(), { kind: 'value', value: 0.01, detail: '3 series, max taken' }, AT).reason).toBe('0.01 < 0.05 (3 series, max taken)');
  });

  test('relativeToStable without the stable value is inconclusive', () => {
    const check = makeCheck({ condition: { kind: 'relativeToStable', maxRatio: 1.5, slack: 0 } });
    expect(toMeasurement(check, { kind: 'value', value: 0.1 }, AT)).toMatchObject({ verdict: 'inconclusive', value: 0.1, reason: 'no stable value to compare with' });
  });

  test('relativeToBaseline uses the context’s baseline, and is inconclusive without one', () => {
    const check = makeCheck({ condition: { kind: 'relativeToBaseline', maxRatio: 2, slack: 0 } });
    expect(toMeasurement(check, { kind: 'value', value: 0.3 }, AT, { baseline: 0.2 })).toMatchObject({ verdict: 'pass' });
    expect(toMeasurement(check, { kind: 'value', value: 0.5 }, AT, { baseline: 0.2 })).toMatchObject({ verdict: 'fail' });
    expect(toMeasurement(check, { kind: 'value', value: 0.3 }, AT)).toMatchObject({ verdict: 'inconclusive' });
  });

  test('a samples observation with too few samples is inconclusive', () => {
    const check = makeCheck({ condition: { kind: 'mannWhitney', alpha: 0.05, minSamples: 20, higherIsWorse: true } });
    const observation: Observation = { kind: 'samples', canary: [1, 2, 3], stable: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] };
    expect(toMeasurement(check, observation, AT)).toMatchObject({ verdict: 'inconclusive', reason: 'only 3 canary and 20 stable samples; need 20 of each' });
  });

  test('a NaN value is inconclusive, not a pass', () => {
    expect(toMeasurement(makeCheck(), { kind: 'value', value: NaN }, AT).verdict).toBe('inconclusive');
  });
});
