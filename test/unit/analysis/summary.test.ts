import { describeDecision, summarizeMeasurement, summarizeRun } from '../../../src/analysis/summary';
import { newRunState, recordMeasurement } from '../../../src/analysis/run';
import { makeCheck, measured } from './helpers';

test.each([
  [{ ...measured('fail', 0), reason: '0.31 >= 0.05' }, 'error-rate: fail, 0.31 >= 0.05'],
  [{ ...measured('pass', 0), reason: 'no matching alerts firing', check: 'alerts', dryRun: true }, 'alerts: pass, no matching alerts firing [dry run]'],
])('summarizeMeasurement', (m, text) => {
  expect(summarizeMeasurement(m)).toBe(text);
});

test('summarizeRun shows progress, an open breach and the last measurement', () => {
  const check = makeCheck({ count: 3, for: 120_000 });
  let state = newRunState(check);
  for (const m of [measured('pass', 0), measured('fail', 30, 'error-rate', '0.31 >= 0.05'), measured('fail', 90, 'error-rate', '0.4 >= 0.05')]) {
    state = recordMeasurement(state, m);
  }
  expect(summarizeRun(state, check)).toBe('error-rate: running, 3 of 3 measurements; breaching for 1m of 2m; last: fail, 0.4 >= 0.05');
});

test('summarizeRun shows limits that are being used up', () => {
  const check = makeCheck({ count: 5, failureLimit: 2 });
  let state = newRunState({ ...check, dryRun: true });
  for (const m of [measured('fail', 0), measured('inconclusive', 30), measured('error', 60), measured('error', 90, 'error-rate', 'Prometheus could not be asked: timeout')]) {
    state = recordMeasurement(state, m);
  }
  expect(summarizeRun(state, check)).toBe(
    'error-rate: running [dry run], 1 of 5 measurements; 1 failure (limit 2); 1 inconclusive (limit 1); 2 consecutive errors (limit 4); last: error, Prometheus could not be asked: timeout',
  );
});

test('describeDecision is undefined while running', () => {
  const check = makeCheck({ count: 2 });
  expect(describeDecision(newRunState(check), check)).toBeUndefined();
});

test('describeDecision mentions the failure count when failures were allowed', () => {
  const check = makeCheck({ failureLimit: 1 });
  let state = newRunState(check);
  state = recordMeasurement(state, measured('fail', 0, 'error-rate', '0.2 >= 0.05'));
  state = recordMeasurement(state, measured('fail', 30, 'error-rate', '0.3 >= 0.05'));
  expect(describeDecision(state, check)).toBe('check error-rate failed: 0.3 >= 0.05, 2 failures > limit 1');
});
