// Step 2 of query → measurement → run verdict: one observation of one check becomes one
// Measurement. Each outcome keeps its own verdict: a source that could not be asked is `error`
// (never a failure), an empty answer follows the check's noData policy, and sources without a
// condition (alerts, http, crashLoopBackOff, oomKilled) count bad things: 0 passes.
import type { CheckSource, CheckSpec } from '../spec/types';
import type { Measurement, Observation } from './types';
import { evaluateCondition, type ConditionContext } from './condition';
import { formatNumber as fmt } from './format';

/**
 * @param at workflow time of the observation (ms since epoch), used for `for` windows
 * @param context the check's baseline, for relativeToBaseline
 */
export function toMeasurement(check: CheckSpec, observation: Observation, at: number, context: ConditionContext = {}): Measurement {
  const base = { check: check.name, at, dryRun: check.dryRun };
  if (observation.kind === 'error') {
    return { ...base, verdict: 'error', reason: `${sourceName(check.source)} could not be asked: ${observation.message}` };
  }
  if (observation.kind === 'noData') {
    return { ...base, verdict: check.noData, reason: `no data (noData: ${check.noData})` };
  }
  if (!check.condition) return countMeasurement(check.source, observation, base);
  const result = evaluateCondition(check.condition, observation, context);
  const detail = observation.kind === 'value' && observation.detail ? ` (${observation.detail})` : '';
  return {
    ...base,
    verdict: result.verdict,
    ...(result.value !== undefined && { value: result.value }),
    ...(result.threshold !== undefined && { threshold: result.threshold }),
    reason: result.reason + detail,
  };
}

type Base = Pick<Measurement, 'check' | 'at' | 'dryRun'>;

/** A source that counts bad things (firing alerts, crash-looping pods, a failed probe). */
function countMeasurement(source: CheckSource, observation: Exclude<Observation, { kind: 'noData' | 'error' }>, base: Base): Measurement {
  if (observation.kind !== 'value') {
    return { ...base, verdict: 'inconclusive', reason: `${sourceName(source)} returned sample series; expected one count` };
  }
  const { value, detail } = observation;
  const threshold = '== 0';
  if (Number.isNaN(value) || value < 0) {
    return { ...base, verdict: 'inconclusive', value, threshold, reason: `${sourceName(source)} returned ${fmt(value)}; expected a count >= 0` };
  }
  if (value === 0) return { ...base, verdict: 'pass', value, threshold, reason: detail ?? healthy(source) };
  return { ...base, verdict: 'fail', value, threshold, reason: detail ?? unhealthy(source, value) };
}

function sourceName(source: CheckSource): string {
  switch (source.kind) {
    case 'prometheus': return 'Prometheus';
    case 'kubernetes': return `the Kubernetes API (${source.deployment} ${source.measure})`;
    case 'alerts': return 'Prometheus (ALERTS)';
    case 'http': return `${source.url}`;
  }
}

function healthy(source: CheckSource): string {
  switch (source.kind) {
    case 'alerts': return 'no matching alerts firing';
    case 'http': return `responded with ${source.expectStatus}${source.expectJson ? ' and the expected JSON' : ''}`;
    case 'kubernetes':
      if (source.measure === 'oomKilled') return 'no container OOMKilled';
      return source.measure === 'crashLoopBackOff' ? 'no pod in CrashLoopBackOff' : `${source.measure} is 0`;
    case 'prometheus': return '0';
  }
}

function unhealthy(source: CheckSource, value: number): string {
  const n = fmt(value);
  switch (source.kind) {
    case 'alerts': return `${n} matching alert${value === 1 ? '' : 's'} firing`;
    case 'http': return `did not respond with ${source.expectStatus}${source.expectJson ? ' and the expected JSON' : ''}`;
    case 'kubernetes':
      if (source.measure === 'oomKilled') return `${n} container${value === 1 ? '' : 's'} OOMKilled`;
      return source.measure === 'crashLoopBackOff' ? `${n} pod${value === 1 ? '' : 's'} in CrashLoopBackOff` : `${source.measure} is ${n} (> 0)`;
    case 'prometheus': return `${n} (> 0)`;
  }
}
