// Step 2a of query → measurement → run verdict: does one observed value meet a condition?
// Conditions say what *passing* looks like (`below: 0.05` passes when value < 0.05). NaN never
// passes: it is what 0/0 gives when nothing was served, so it is inconclusive. ±Infinity is a
// real ordering (histogram_quantile returns +Inf when the quantile is above the last bucket), so
// it is compared like any number, except as a reference (stable or baseline) for a ratio.
import type { Condition } from '../spec/types';
import type { Observation } from './types';
import { formatNumber as fmt } from './format';
import { mannWhitneyU } from './mann-whitney';

export interface ConditionContext {
  /** the check's value measured before the first change, for relativeToBaseline */
  baseline?: number;
}

export interface ConditionResult {
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** the number compared: the value, or the p-value for mannWhitney */
  value?: number;
  /** what it was compared with: "< 0.05", "<= 0.19 (1.5 × stable 0.12 + 0.01)" */
  threshold?: string;
  reason: string;
}

type ThresholdOp = Extract<Condition, { kind: 'threshold' }>['op'];

const NEGATED: Record<ThresholdOp, ThresholdOp> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };

function holds(value: number, op: ThresholdOp, bound: number): boolean {
  switch (op) {
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '>': return value > bound;
    case '>=': return value >= bound;
    case '==': return value === bound;
    case '!=': return value !== bound;
  }
}

export function evaluateCondition(condition: Condition, observation: Observation, context: ConditionContext = {}): ConditionResult {
  if (observation.kind === 'noData' || observation.kind === 'error') {
    // measurement.ts applies the check's policies to these; answer safely if called directly
    return { verdict: 'inconclusive', reason: observation.kind === 'noData' ? 'no data' : `error: ${observation.message}` };
  }
  if (condition.kind === 'mannWhitney') return evaluateMannWhitney(condition, observation);
  if (observation.kind !== 'value') {
    return { verdict: 'inconclusive', reason: `a ${condition.kind} condition needs one value, but the source returned sample series` };
  }
  const { value } = observation;
  if (condition.kind === 'threshold') {
    const threshold = `${condition.op} ${fmt(condition.value)}`;
    if (Number.isNaN(value)) return { verdict: 'inconclusive', value, threshold, reason: 'value is NaN (e.g. 0/0 with no traffic)' };
    return holds(value, condition.op, condition.value)
      ? { verdict: 'pass', value, threshold, reason: `${fmt(value)} ${condition.op} ${fmt(condition.value)}` }
      : { verdict: 'fail', value, threshold, reason: `${fmt(value)} ${NEGATED[condition.op]} ${fmt(condition.value)}` };
  }
  const stable = condition.kind === 'relativeToStable';
  const side = stable ? 'stable' : 'baseline';
  const reference = stable ? observation.stableValue : context.baseline;
  if (reference === undefined) {
    const reason = stable ? 'no stable value to compare with' : 'no baseline (it is measured before the first change)';
    return { verdict: 'inconclusive', value, reason };
  }
  if (Number.isNaN(value)) return { verdict: 'inconclusive', value, reason: 'value is NaN (e.g. 0/0 with no traffic)' };
  if (!Number.isFinite(reference)) {
    return { verdict: 'inconclusive', value, reason: `${side} value is ${fmt(reference)}; nothing to compare with` };
  }
  const limit = condition.maxRatio * reference + condition.slack;
  const bound = `${fmt(limit)} (${fmt(condition.maxRatio)} × ${side} ${fmt(reference)}${condition.slack !== 0 ? ` + ${fmt(condition.slack)}` : ''})`;
  const threshold = `<= ${bound}`;
  return value <= limit
    ? { verdict: 'pass', value, threshold, reason: `${fmt(value)} <= ${bound}` }
    : { verdict: 'fail', value, threshold, reason: `${fmt(value)} > ${bound}` };
}

function evaluateMannWhitney(condition: Extract<Condition, { kind: 'mannWhitney' }>, observation: Observation): ConditionResult {
  if (observation.kind !== 'samples') {
    return { verdict: 'inconclusive', reason: 'mannWhitney needs canary and stable sample series (a range query)' };
  }
  // NaN samples are gaps (0/0 at a step with no traffic), not observations.
  const canary = observation.canary.filter((v) => !Number.isNaN(v));
  const stable = observation.stable.filter((v) => !Number.isNaN(v));
  const worse = condition.higherIsWorse ? 'higher' : 'lower';
  const threshold = `p >= ${fmt(condition.alpha)} (canary not significantly ${worse} than stable)`;
  if (canary.length < condition.minSamples || stable.length < condition.minSamples) {
    return {
      verdict: 'inconclusive',
      threshold,
      reason: `only ${canary.length} canary and ${stable.length} stable samples; need ${condition.minSamples} of each`,
    };
  }
  const result = mannWhitneyU(canary, stable, condition.higherIsWorse ? 'greater' : 'less');
  const p = result.pValue;
  const sizes = `n=${result.n1}/${result.n2}`;
  return p < condition.alpha
    ? { verdict: 'fail', value: p, threshold, reason: `canary significantly ${worse} than stable (p=${fmt(p)} < ${fmt(condition.alpha)}, ${sizes})` }
    : { verdict: 'pass', value: p, threshold, reason: `no significant difference (p=${fmt(p)} >= ${fmt(condition.alpha)}, ${sizes})` };
}

/** The condition in words, without a reference value: "< 0.05", "<= 1.5 × stable + 0.01". */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'threshold':
      return `${condition.op} ${fmt(condition.value)}`;
    case 'relativeToStable':
    case 'relativeToBaseline': {
      const side = condition.kind === 'relativeToStable' ? 'stable' : 'baseline';
      return `<= ${fmt(condition.maxRatio)} × ${side}${condition.slack !== 0 ? ` + ${fmt(condition.slack)}` : ''}`;
    }
    case 'mannWhitney':
      return `Mann-Whitney p >= ${fmt(condition.alpha)} (${condition.higherIsWorse ? 'higher' : 'lower'} is worse)`;
  }
}
