import { describeCondition, evaluateCondition } from '../../../src/analysis/condition';
import type { Observation } from '../../../src/analysis/types';
import type { Condition } from '../../../src/spec/types';

const value = (v: number, stableValue?: number): Observation => ({ kind: 'value', value: v, ...(stableValue !== undefined && { stableValue }) });

describe('threshold', () => {
  test.each([
    ['<', 0.05, 0.01, 'pass', '0.01 < 0.05'],
    ['<', 0.05, 0.05, 'fail', '0.05 >= 0.05'],
    ['<', 0.05, 0.31, 'fail', '0.31 >= 0.05'],
    ['<', 0.05, Infinity, 'fail', '+Inf >= 0.05'],
    ['<', 0.05, -Infinity, 'pass', '-Inf < 0.05'],
    ['<=', 0.5, 0.5, 'pass', '0.5 <= 0.5'],
    ['<=', 0.5, 0.51, 'fail', '0.51 > 0.5'],
    ['>', 0.9, 0.95, 'pass', '0.95 > 0.9'],
    ['>', 0.9, 0.9, 'fail', '0.9 <= 0.9'],
    ['>=', 1, 1, 'pass', '1 >= 1'],
    ['>=', 1, 0.99, 'fail', '0.99 < 1'],
    ['==', 0, 0, 'pass', '0 == 0'],
    ['==', 0, 1, 'fail', '1 != 0'],
    ['!=', 0, 1, 'pass', '1 != 0'],
    ['!=', 0, 0, 'fail', '0 == 0'],
    ['<', 0.05, 0.0512345, 'fail', '0.05123 >= 0.05'],
  ] as const)('value %p %s %p → %s', (op, bound, v, verdict, reason) => {
    expect(evaluateCondition({ kind: 'threshold', op, value: bound }, value(v))).toEqual({ verdict, value: v, threshold: `${op} ${bound}`, reason });
  });

  test.each(['<', '<=', '>', '>=', '==', '!='] as const)('NaN is inconclusive for %s, never a pass', (op) => {
    const result = evaluateCondition({ kind: 'threshold', op, value: 0 }, value(NaN));
    expect(result).toMatchObject({ verdict: 'inconclusive', reason: 'value is NaN (e.g. 0/0 with no traffic)' });
  });
});

describe('relativeToStable (maxRatio 1.5, slack 0.01)', () => {
  const condition: Condition = { kind: 'relativeToStable', maxRatio: 1.5, slack: 0.01 };
  test.each([
    [0.12, 0.1, 'pass', '0.12 <= 0.16 (1.5 × stable 0.1 + 0.01)'],
    [0.16, 0.1, 'pass', '0.16 <= 0.16 (1.5 × stable 0.1 + 0.01)'],
    [0.2, 0.1, 'fail', '0.2 > 0.16 (1.5 × stable 0.1 + 0.01)'],
    [0.005, 0, 'pass', '0.005 <= 0.01 (1.5 × stable 0 + 0.01)'],
    [0.02, 0, 'fail', '0.02 > 0.01 (1.5 × stable 0 + 0.01)'],
    [Infinity, 0.1, 'fail', '+Inf > 0.16 (1.5 × stable 0.1 + 0.01)'],
  ])('canary %p vs stable %p → %s', (v, stable, verdict, reason) => {
    expect(evaluateCondition(condition, value(v, stable))).toMatchObject({ verdict, value: v, reason });
  });

  test.each([
    ['no stable value', value(0.1), 'no stable value to compare with'],
    ['a NaN canary', value(NaN, 0.1), 'value is NaN (e.g. 0/0 with no traffic)'],
    ['a NaN stable value', value(0.1, NaN), 'stable value is NaN; nothing to compare with'],
    ['an infinite stable value', value(0.1, Infinity), 'stable value is +Inf; nothing to compare with'],
    ['sample series', { kind: 'samples', canary: [1], stable: [1] } as Observation, 'a relativeToStable condition needs one value, but the source returned sample series'],
  ])('%s is inconclusive', (_name, observation, reason) => {
    expect(evaluateCondition(condition, observation)).toMatchObject({ verdict: 'inconclusive', reason });
  });

  test('the threshold shows the computed limit', () => {
    expect(evaluateCondition({ kind: 'relativeToStable', maxRatio: 2, slack: 0 }, value(1, 0.4)).threshold).toBe('<= 0.8 (2 × stable 0.4)');
  });
});

describe('relativeToBaseline (maxRatio 2)', () => {
  const condition: Condition = { kind: 'relativeToBaseline', maxRatio: 2, slack: 0 };
  test.each([
    [0.4, 0.2, 'pass', '0.4 <= 0.4 (2 × baseline 0.2)'],
    [0.41, 0.2, 'fail', '0.41 > 0.4 (2 × baseline 0.2)'],
  ])('value %p with baseline %p → %s', (v, baseline, verdict, reason) => {
    expect(evaluateCondition(condition, value(v), { baseline })).toMatchObject({ verdict, reason });
  });

  test('without a baseline it is inconclusive', () => {
    expect(evaluateCondition(condition, value(0.1))).toMatchObject({ verdict: 'inconclusive', reason: 'no baseline (it is measured before the first change)' });
  });

  test('the stable value is not a baseline', () => {
    expect(evaluateCondition(condition, value(0.1, 0.1))).toMatchObject({ verdict: 'inconclusive' });
  });
});

describe('mannWhitney (alpha 0.05, minSamples 5)', () => {
  const higher = [3, 4, 4, 5, 5, 5, 6, 7, 7, 8];
  const lower = [1, 2, 2, 3, 3, 4, 4, 4, 5, 6];
  const mw = (higherIsWorse: boolean): Condition => ({ kind: 'mannWhitney', alpha: 0.05, minSamples: 5, higherIsWorse });
  const samples = (canary: number[], stable: number[]): Observation => ({ kind: 'samples', canary, stable });

  test('a canary significantly higher fails when higher is worse', () => {
    const result = evaluateCondition(mw(true), samples(higher, lower));
    expect(result).toMatchObject({ verdict: 'fail', reason: 'canary significantly higher than stable (p=0.007867 < 0.05, n=10/10)' });
    expect(result.value).toBeCloseTo(0.007867, 5);
    expect(result.threshold).toBe('p >= 0.05 (canary not significantly higher than stable)');
  });

  test('the same data passes when lower is worse', () => {
    expect(evaluateCondition(mw(false), samples(higher, lower))).toMatchObject({ verdict: 'pass', reason: expect.stringMatching(/^no significant difference \(p=0.99\d* >= 0.05/) });
  });

  test('a canary significantly lower fails when lower is worse', () => {
    expect(evaluateCondition(mw(false), samples(lower, higher))).toMatchObject({ verdict: 'fail' });
  });

  test('identical distributions pass', () => {
    expect(evaluateCondition(mw(true), samples([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]))).toMatchObject({ verdict: 'pass', value: 1 });
  });

  test.each([
    ['too few canary samples', samples([1, 2, 3, 4], lower), 'only 4 canary and 10 stable samples; need 5 of each'],
    ['too few stable samples', samples(higher, []), 'only 10 canary and 0 stable samples; need 5 of each'],
    ['NaN gaps leave too few', samples([1, NaN, NaN, 2, 3, 4, NaN], lower), 'only 4 canary and 10 stable samples; need 5 of each'],
    ['a single value', value(0.3, 0.2), 'mannWhitney needs canary and stable sample series (a range query)'],
  ])('%s is inconclusive', (_name, observation, reason) => {
    expect(evaluateCondition(mw(true), observation)).toMatchObject({ verdict: 'inconclusive', reason });
  });
});

test.each([
  [{ kind: 'noData' }, 'no data'],
  [{ kind: 'error', message: 'timeout' }, 'error: timeout'],
] as const)('%p given directly is inconclusive, never a pass', (observation, reason) => {
  expect(evaluateCondition({ kind: 'threshold', op: '<', value: 1 }, observation)).toEqual({ verdict: 'inconclusive', reason });
});

test.each([
  [{ kind: 'threshold', op: '>=', value: 0.9 }, '>= 0.9'],
  [{ kind: 'relativeToStable', maxRatio: 1.5, slack: 0.01 }, '<= 1.5 × stable + 0.01'],
  [{ kind: 'relativeToBaseline', maxRatio: 2, slack: 0 }, '<= 2 × baseline'],
  [{ kind: 'mannWhitney', alpha: 0.05, minSamples: 20, higherIsWorse: true }, 'Mann-Whitney p >= 0.05 (higher is worse)'],
] as const)('describeCondition(%p) = %p', (condition, text) => {
  expect(describeCondition(condition)).toBe(text);
});
