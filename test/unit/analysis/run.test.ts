import { breachDuration, newRunState, recordMeasurement, RECENT_MEASUREMENTS, runVerdict, verdictForPromotion, type CheckRunState } from '../../../src/analysis/run';
import type { MeasurementVerdict, RunVerdict } from '../../../src/analysis/types';
import type { CheckSpec } from '../../../src/spec/types';
import { makeCheck, measured } from './helpers';

type Step = [MeasurementVerdict, number];
const v = { p: 'pass', f: 'fail', i: 'inconclusive', e: 'error' } as const;

/** `sequence` as 'p@0 f@30 ...' (verdict initial @ seconds). */
function parse(sequence: string): Step[] {
  return sequence.split(/\s+/).filter(Boolean).map((token) => {
    const [letter, at] = token.split('@') as [keyof typeof v, string];
    return [v[letter], Number(at)];
  });
}

/** The run verdict after each measurement, and the final state. */
function play(check: CheckSpec, sequence: string): { verdicts: RunVerdict[]; state: CheckRunState } {
  let state = newRunState(check);
  const verdicts: RunVerdict[] = [];
  for (const [verdict, at] of parse(sequence)) {
    state = recordMeasurement(state, measured(verdict, at));
    verdicts.push(runVerdict(state, check));
  }
  return { verdicts, state };
}

const every30s = (letter: string, from: number, n: number) => Array.from({ length: n }, (_, k) => `${letter}@${from + 30 * k}`).join(' ');

test.each<[string, Partial<CheckSpec>, string, string]>([
  ['one pass decides a count-1 check', {}, 'p@0', 'pass'],
  ['count 3 needs three decisive measurements', { count: 3 }, 'p@0 p@30 p@60', 'running running pass'],
  ['a failure with failureLimit 0 fails at once', { count: 3 }, 'p@0 f@30', 'running fail'],
  ['failures up to failureLimit are tolerated', { count: 3, failureLimit: 1 }, 'f@0 p@30 f@60', 'running running fail'],
  ['failures within the limit still let the check pass', { count: 3, failureLimit: 1 }, 'f@0 p@30 p@60', 'running running pass'],
  ['inconclusive beyond inconclusiveLimit', { count: 3 }, 'i@0 i@30', 'running inconclusive'],
  ['inconclusiveLimit 0 trips on the first', { count: 3, inconclusiveLimit: 0 }, 'i@0', 'inconclusive'],
  ['inconclusive measurements do not count towards count', {}, 'i@0 p@30', 'running pass'],
  ['errors do not count towards count', {}, 'e@0 e@30 p@60', 'running running pass'],
  ['consecutive errors beyond the limit are an error', {}, every30s('e', 0, 5), 'running running running running error'],
  ['consecutiveErrorLimit 0 trips on the first error', { consecutiveErrorLimit: 0 }, 'e@0', 'error'],
  ['a pass resets consecutive errors', { count: 3 }, `${every30s('e', 0, 4)} p@120 ${every30s('e', 150, 4)}`, 'running '.repeat(9).trim()],
  ['errors alone are never failures', { count: 3, failureLimit: 0 }, every30s('e', 0, 8), 'running running running running error error error error'],
  ['an inconclusive resets consecutive errors too', { count: 3, inconclusiveLimit: 5 }, 'e@0 e@30 e@60 e@90 i@120 e@150 e@180', 'running '.repeat(7).trim()],
  // `for`: a breach counts once it has lasted the window
  ['a sustained breach fails after `for` (2m at 30s)', { for: 120_000 }, every30s('f', 0, 5), 'running running running running fail'],
  ['a breach shorter than `for` then a pass does not fail', { for: 120_000 }, 'f@0 f@30 f@60 f@90 p@120', 'running running running running pass'],
  ['errors and inconclusives do not close a breach', { for: 120_000, inconclusiveLimit: 2 }, 'f@0 e@30 i@60 f@90 f@120', 'running running running running fail'],
  ['a pass closes the breach; the window restarts', { for: 60_000, count: 10 }, 'f@0 f@30 p@45 f@60 f@90 f@120', 'running running running running running fail'],
  ['a pending breach holds back a pass', { for: 60_000 }, 'p@0 f@30 p@60', 'pass running pass'],
  ['for 0 counts the first fail', { for: 0 }, 'f@0', 'fail'],
])('%s', (_name, overrides, sequence, expected) => {
  expect(play(makeCheck(overrides), sequence).verdicts.join(' ')).toBe(expected);
});

test('flapping around a threshold with `for` never accumulates failures', () => {
  const check = makeCheck({ for: 120_000, count: 1000 });
  const flapping = Array.from({ length: 60 }, (_, k) => `${k % 3 === 2 ? 'p' : 'f'}@${k * 30}`).join(' ');
  const { verdicts, state } = play(check, flapping);
  expect(verdicts).not.toContain('fail');
  expect(state.failures).toBe(0);
  expect(state.counts).toEqual({ pass: 20, fail: 40, inconclusive: 0, error: 0 });
});

test('each fail of a breach that lasted `for` counts, up to failureLimit', () => {
  const { verdicts, state } = play(makeCheck({ for: 60_000, failureLimit: 2, count: 6 }), every30s('f', 0, 6));
  expect(verdicts).toEqual(['running', 'running', 'running', 'running', 'fail', 'fail']);
  expect(state.failures).toBe(4);
});

test('the counted failure remembers how long its breach had lasted', () => {
  const { state } = play(makeCheck({ for: 120_000 }), every30s('f', 0, 5));
  expect(state.lastFailure).toEqual({ measurement: measured('fail', 120), breachMs: 120_000 });
  expect(breachDuration(state)).toBe(120_000);
});

test('a dryRun check still gets its own verdict (the aggregate ignores it)', () => {
  expect(play(makeCheck({ dryRun: true }), 'f@0').verdicts).toEqual(['fail']);
});

test.each<[string, Partial<CheckSpec>, string, RunVerdict]>([
  ['a failed dry-run check counts as pass', { dryRun: true }, 'f@0', 'pass'],
  ['an errored dry-run check counts as pass', { dryRun: true }, every30s('e', 0, 5), 'pass'],
  ['an undecided dry-run check keeps running', { dryRun: true, for: 60_000 }, 'f@0', 'running'],
  ['a real check keeps its verdict', {}, 'f@0', 'fail'],
  ['a real check that is running', { count: 2 }, 'p@0', 'running'],
])('verdictForPromotion: %s', (_name, overrides, sequence, expected) => {
  const check = makeCheck(overrides);
  expect(verdictForPromotion(play(check, sequence).state, check)).toBe(expected);
});

test('the state is bounded: the last measurements and counters', () => {
  const { state } = play(makeCheck({ count: 100, inconclusiveLimit: 100 }), `${every30s('p', 0, 10)} ${every30s('i', 300, 10)} ${every30s('e', 600, 3)}`);
  expect(state.recent).toHaveLength(RECENT_MEASUREMENTS);
  expect(state.recent.map((m) => m.at - measured('pass', 0).at)).toEqual([540_000, 570_000, 600_000, 630_000, 660_000]);
  expect(state.recent.map((m) => m.verdict)).toEqual(['inconclusive', 'inconclusive', 'error', 'error', 'error']);
  expect(state.counts).toEqual({ pass: 10, fail: 0, inconclusive: 10, error: 3 });
  expect(state.consecutiveErrors).toBe(3);
  expect(state.lastInconclusive?.at).toBe(measured('inconclusive', 570).at);
  expect(state.lastError?.at).toBe(measured('error', 660).at);
});

test('recordMeasurement leaves its input untouched', () => {
  const check = makeCheck({ for: 60_000 });
  const before = play(check, 'p@0 f@30').state;
  const snapshot = JSON.stringify(before);
  const after = recordMeasurement(before, measured('fail', 90));
  expect(JSON.stringify(before)).toBe(snapshot);
  expect(after).not.toBe(before);
  expect(after.failures).toBe(1);
  expect(before.failures).toBe(0);
});

test('a measurement of another check is refused', () => {
  expect(() => recordMeasurement(newRunState(makeCheck()), measured('pass', 0, 'p95'))).toThrow(/check "p95" recorded in the state of "error-rate"/);
});

test('a new state is running', () => {
  const check = makeCheck({ count: 2 });
  expect(runVerdict(newRunState(check), check)).toBe('running');
  expect(breachDuration(newRunState(check))).toBe(0);
});
