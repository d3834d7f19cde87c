import { analysisVerdict, type CheckRun } from '../../../src/analysis/aggregate';
import { toMeasurement } from '../../../src/analysis/measurement';
import { newRunState, recordMeasurement } from '../../../src/analysis/run';
import type { Observation } from '../../../src/analysis/types';
import type { CheckSpec } from '../../../src/spec/types';
import { makeCheck } from './helpers';

const T0 = 1_767_225_600_000;

/** A check fed observations every 30s through the real measurement step. */
function run(check: CheckSpec, observations: Observation[]): CheckRun {
  let state = newRunState(check);
  observations.forEach((o, k) => (state = recordMeasurement(state, toMeasurement(check, o, T0 + k * 30_000))));
  return { check, state };
}

const val = (value: number): Observation => ({ kind: 'value', value });
const ok = val(0.01);
const bad = val(0.31);
const err: Observation = { kind: 'error', message: 'connection refused' };
const none: Observation = { kind: 'noData' };

const failing = () => run(makeCheck({ name: 'error-rate', for: 120_000 }), [bad, bad, bad, bad, bad]);
const erroring = () => run(makeCheck({ name: 'p95' }), [err, err, err, err, err]);
const inconclusive = (onInconclusiveLimit: 'pause' | 'fail' = 'fail') => run(makeCheck({ name: 'ready', onInconclusiveLimit }), [none, none]);
const waiting = () => run(makeCheck({ name: 'latency', count: 3 }), [ok]);
const passed = () => run(makeCheck({ name: 'health' }), [ok]);

test('a failed check decides, quoting the measurement and the sustained window', () => {
  const result = analysisVerdict([passed(), failing(), waiting()]);
  expect(result.verdict).toBe('fail');
  expect(result.reason).toBe('check error-rate failed: 0.31 >= 0.05 (for 2m)');
  expect(result.deciding).toEqual([expect.objectContaining({ check: 'error-rate', verdict: 'fail', value: 0.31, threshold: '< 0.05', at: T0 + 120_000 })]);
  expect(result.checks).toEqual([
    { check: 'health', verdict: 'pass', dryRun: false },
    { check: 'error-rate', verdict: 'fail', dryRun: false },
    { check: 'latency', verdict: 'running', dryRun: false },
  ]);
});

test.each([
  ['fail beats error', [erroring(), failing()], 'fail'],
  ['error beats inconclusive', [inconclusive(), erroring()], 'error'],
  ['inconclusive beats running', [waiting(), inconclusive()], 'inconclusive'],
  ['running beats pass', [passed(), waiting()], 'running'],
  ['all passed', [passed(), run(makeCheck({ name: 'other' }), [ok])], 'pass'],
  ['nothing to decide', [], 'pass'],
] as const)('%s', (_name, runs, verdict) => {
  expect(analysisVerdict(runs).verdict).toBe(verdict);
});

test('an errored check says how many errors in a row and the last one', () => {
  const result = analysisVerdict([erroring()]);
  expect(result.reason).toBe('check p95 errored 5 times in a row (limit 4): Prometheus could not be asked: connection refused');
  expect(result.deciding).toEqual([expect.objectContaining({ verdict: 'error' })]);
});

test('several failed checks are all quoted', () => {
  const second = run(makeCheck({ name: 'p99' }), [val(0.9)]);
  const result = analysisVerdict([failing(), second]);
  expect(result.reason).toBe('check error-rate failed: 0.31 >= 0.05 (for 2m); check p99 failed: 0.9 >= 0.05');
  expect(result.deciding.map((m) => m.check)).toEqual(['error-rate', 'p99']);
});

test.each([
  ['fail', ['fail', 'pause'], 'fail'],
  ['pause', ['pause', 'pause'], 'pause'],
] as const)('inconclusive asks to %s', (_name, policies, action) => {
  const runs = policies.map((p, k) => run(makeCheck({ name: `c${k}`, onInconclusiveLimit: p }), [none, none]));
  const result = analysisVerdict(runs);
  expect(result).toMatchObject({ verdict: 'inconclusive', onInconclusive: action });
  expect(result.reason).toContain('check c0 was inconclusive 2 times (limit 1): no data (noData: inconclusive)');
});

test('onInconclusive is only set for an inconclusive verdict', () => {
  expect(analysisVerdict([failing(), inconclusive()]).onInconclusive).toBeUndefined();
});

describe('dry run', () => {
  const dryFailing = () => run(makeCheck({ name: 'p95', dryRun: true }), [bad]);

  test('a failing dry-run check is reported but does not decide', () => {
    const result = analysisVerdict([passed(), dryFailing()]);
    expect(result.verdict).toBe('pass');
    expect(result.reason).toBe('all 1 checks passed; dry run: check p95 failed: 0.31 >= 0.05');
    expect(result.checks).toContainEqual({ check: 'p95', verdict: 'fail', dryRun: true });
    expect(result.deciding.map((m) => m.check)).toEqual(['health']);
  });

  test('only dry-run checks: nothing decides', () => {
    expect(analysisVerdict([dryFailing()])).toMatchObject({ verdict: 'pass', reason: 'no checks to decide; dry run: check p95 failed: 0.31 >= 0.05' });
  });

  test('a dry-run check does not keep the analysis waiting', () => {
    const dryWaiting = run(makeCheck({ name: 'slow', dryRun: true, count: 5 }), [ok]);
    expect(analysisVerdict([passed(), dryWaiting]).verdict).toBe('pass');
  });
});

describe('continuous (background) analysis', () => {
  test('reaching count is not a pass: it keeps running until something trips', () => {
    expect(analysisVerdict([passed()], { continuous: true })).toMatchObject({ verdict: 'running', reason: 'waiting for health' });
    expect(analysisVerdict([passed(), failing()], { continuous: true }).verdict).toBe('fail');
  });
});

test('a running analysis names the checks it waits for', () => {
  expect(analysisVerdict([passed(), waiting()]).reason).toBe('waiting for latency');
});
