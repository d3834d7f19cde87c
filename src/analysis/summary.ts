// One-line summaries for the status query, the CLI and the Temporal UI.
import type { CheckSpec } from '../spec/types';
import { formatDuration } from '../spec/duration';
import type { Measurement, RunVerdict } from './types';
import { breachDuration, breachPending, runVerdict, type CheckRunState } from './run';

type Limits = Pick<CheckSpec, 'count' | 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'for'>;

/** `error-rate: fail, 0.31 >= 0.05` (`[dry run]` appended for dry-run checks). */
export function summarizeMeasurement(m: Measurement): string {
  return `${m.check}: ${m.verdict}, ${m.reason}${m.dryRun ? ' [dry run]' : ''}`;
}

/** `error-rate: running, 2 of 3 measurements; breaching for 1m of 2m; last: fail, 0.31 >= 0.05`. */
export function summarizeRun(state: CheckRunState, check: Limits): string {
  const verdict = runVerdict(state, check);
  const decisive = state.counts.pass + state.counts.fail;
  const parts = [`${decisive} of ${check.count} measurement${check.count === 1 ? '' : 's'}`];
  if (state.failures > 0) parts.push(`${state.failures} failure${state.failures === 1 ? '' : 's'} (limit ${check.failureLimit})`);
  if (breachPending(state)) parts.push(`breaching for ${formatDuration(breachDuration(state))} of ${formatDuration(check.for)}`);
  if (state.counts.inconclusive > 0) parts.push(`${state.counts.inconclusive} inconclusive (limit ${check.inconclusiveLimit})`);
  if (state.consecutiveErrors > 0) parts.push(`${state.consecutiveErrors} consecutive error${state.consecutiveErrors === 1 ? '' : 's'} (limit ${check.consecutiveErrorLimit})`);
  const last = state.recent.at(-1);
  if (last) parts.push(`last: ${last.verdict}, ${last.reason}`);
  return `${state.check}: ${verdict}${state.dryRun ? ' [dry run]' : ''}, ${parts.join('; ')}`;
}

/**
 * Why a check decided, quoting the measurement that decided it:
 * `check error-rate failed: 0.31 >= 0.05 (for 2m)`. Undefined while it has not decided.
 */
export function describeDecision(state: CheckRunState, check: Limits, verdict: RunVerdict = runVerdict(state, check)): string | undefined {
  switch (verdict) {
    case 'fail': {
      const failure = state.lastFailure;
      const sustained = failure && check.for > 0 ? ` (for ${formatDuration(failure.breachMs)})` : '';
      const many = check.failureLimit > 0 ? `, ${state.failures} failures > limit ${check.failureLimit}` : '';
      return `check ${state.check} failed: ${failure?.measurement.reason ?? 'failure limit exceeded'}${sustained}${many}`;
    }
    case 'error':
      return `check ${state.check} errored ${state.consecutiveErrors} times in a row (limit ${check.consecutiveErrorLimit}): ${state.lastError?.reason ?? 'unknown error'}`;
    case 'inconclusive':
      return `check ${state.check} was inconclusive ${state.counts.inconclusive} times (limit ${check.inconclusiveLimit}): ${state.lastInconclusive?.reason ?? 'no verdict'}`;
    case 'pass':
      return `check ${state.check} passed`;
    case 'running':
      return undefined;
  }
}
