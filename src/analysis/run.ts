// Step 3 of query → measurement → run verdict: the measurements of one check, under its limits.
// The state is small and bounded (the last few measurements plus counters) because it lives in
// workflow memory and in status queries for the whole promotion. It is immutable:
// recordMeasurement returns a new state and never changes its argument, so a state handed to a
// query or kept as "previous" cannot change under the reader.
//
// Sustained breaches (`for`): a fail measurement opens a breach at its `at` (workflow time). Fail
// measurements count as failures only once the breach has lasted `for`; a pass closes it. So a
// value flapping around a threshold never accumulates failures, while a real regression counts
// from the first measurement after `for`. Errors and inconclusives neither open nor close a
// breach: not knowing is no evidence that the regression ended.
import type { CheckSpec, DurationMs } from '../spec/types';
import type { Measurement, MeasurementVerdict, RunVerdict } from './types';

/** How many measurements a state keeps for display. */
export const RECENT_MEASUREMENTS = 5;

export interface CheckRunState {
  check: string;
  dryRun: boolean;
  /** the check's `for` window, ms; copied so recordMeasurement needs only the state */
  forMs: DurationMs;
  /** the last RECENT_MEASUREMENTS measurements, oldest first */
  recent: Measurement[];
  /** measurements per verdict, as measured (a fail still inside its `for` window is counted here) */
  counts: Record<MeasurementVerdict, number>;
  /** fail measurements that count against failureLimit: those of a breach that has lasted `for` */
  failures: number;
  /** error measurements since the last non-error one */
  consecutiveErrors: number;
  /** workflow time (ms) of the first fail of the open breach; undefined when no breach is open */
  breachSince?: number;
  /** the latest counted failure and how long its breach had lasted: what a rollback quotes */
  lastFailure?: { measurement: Measurement; breachMs: DurationMs };
  lastError?: Measurement;
  lastInconclusive?: Measurement;
}

export function newRunState(check: Pick<CheckSpec, 'name' | 'dryRun' | 'for'>): CheckRunState {
  return {
    check: check.name,
    dryRun: check.dryRun,
    forMs: check.for,
    recent: [],
    counts: { pass: 0, fail: 0, inconclusive: 0, error: 0 },
    failures: 0,
    consecutiveErrors: 0,
  };
}

/**
 * A new state with `m` recorded. Measurements are expected in time order.
 * @throws Error when `m` belongs to another check: a bug in the caller, not a verdict
 */
export function recordMeasurement(state: CheckRunState, m: Measurement): CheckRunState {
  if (m.check !== state.check) throw new Error(`measurement of check "${m.check}" recorded in the state of "${state.check}"`);
  const next: CheckRunState = {
    ...state,
    recent: [...state.recent, m].slice(-RECENT_MEASUREMENTS),
    counts: { ...state.counts, [m.verdict]: state.counts[m.verdict] + 1 },
    consecutiveErrors: m.verdict === 'error' ? state.consecutiveErrors + 1 : 0,
  };
  switch (m.verdict) {
    case 'pass':
      delete next.breachSince;
      break;
    case 'fail': {
      const breachSince = state.breachSince ?? m.at;
      const breachMs = Math.max(0, m.at - breachSince);
      next.breachSince = breachSince;
      if (breachMs >= state.forMs) {
        next.failures = state.failures + 1;
        next.lastFailure = { measurement: m, breachMs };
      }
      break;
    }
    case 'error':
      next.lastError = m;
      break;
    case 'inconclusive':
      next.lastInconclusive = m;
      break;
  }
  return next;
}

/** A breach is open but has not lasted `for` yet: the check may still fail. */
export function breachPending(state: CheckRunState): boolean {
  if (state.breachSince === undefined) return false;
  return state.lastFailure === undefined || state.lastFailure.measurement.at < state.breachSince;
}

/**
 * The check's verdict so far. Limits are checked in order: failures, consecutive errors,
 * inconclusives; `pass` needs `count` decisive (pass or fail) measurements and no pending breach,
 * because inconclusive and error measurements say nothing about the canary. A dryRun check gets
 * its verdict like any other; analysisVerdict is what ignores it.
 */
export function runVerdict(state: CheckRunState, check: Pick<CheckSpec, 'count' | 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit'>): RunVerdict {
  if (state.failures > check.failureLimit) return 'fail';
  if (state.consecutiveErrors > check.consecutiveErrorLimit) return 'error';
  if (state.counts.inconclusive > check.inconclusiveLimit) return 'inconclusive';
  if (breachPending(state)) return 'running';
  return state.counts.pass + state.counts.fail >= check.count ? 'pass' : 'running';
}

/**
 * The verdict as it counts for the promotion. A dry-run check never stops or holds up a
 * promotion: once its own verdict is decided (whatever it is) it counts as `pass`; report its
 * runVerdict/describeDecision instead.
 */
export function verdictForPromotion(state: CheckRunState, check: Parameters<typeof runVerdict>[1]): RunVerdict {
  const verdict = runVerdict(state, check);
  return state.dryRun && verdict !== 'running' ? 'pass' : verdict;
}

/** How long the open breach has lasted at the latest measurement; 0 when none is open. */
export function breachDuration(state: CheckRunState): DurationMs {
  const last = state.recent.at(-1);
  if (state.breachSince === undefined || last === undefined) return 0;
  return Math.max(0, last.at - state.breachSince);
}
