// Per-check rules that relate a check's source to its condition, and query templates to the
// target. Kept apart from rules.ts to keep each file about one thing.
import type { CheckSpec, PromotionSpec } from './types';
import type { SpecError } from './errors';
import type { SpecPaths } from './rules';
import { BOOLEAN_MEASURES } from './schema-checks';
import { placeholders, renderPromQL, TemplateError } from './promql';
import { templateVariables, type Variant } from './target';

export function checkSourceRules(spec: PromotionSpec, paths: SpecPaths): SpecError[] {
  return spec.checks.flatMap((check, i) => {
    const at = (userSuffix: string, normalizedSuffix: string) => paths.check(i, userSuffix, normalizedSuffix);
    return [...conditionFits(check, at), ...queryRules(spec, check, at)];
  });
}

type At = (userSuffix: string, normalizedSuffix: string) => string;

/** Which conditions make sense for which source. */
function conditionFits(check: CheckSpec, at: At): SpecError[] {
  const { source, condition } = check;
  const conditionPath = at('.condition', '.condition');
  const kind = condition?.kind;
  switch (source.kind) {
    case 'http':
      return condition
        ? [{ path: conditionPath, message: 'http checks pass on the expected status (and JSON); remove the condition' }]
        : [];
    case 'alerts': {
      const errors: SpecError[] = [];
      if (source.names.length === 0 && Object.keys(source.labels).length === 0) {
        errors.push({ path: at('.alerts', '.source'), message: 'needs names or labels; an empty matcher would match every firing alert' });
      }
      if (kind !== undefined && kind !== 'threshold') {
        errors.push({ path: conditionPath, message: 'an alerts check counts firing alerts; use a threshold such as { atMost: 0 } or no condition' });
      }
      return errors;
    }
    case 'kubernetes': {
      const isBoolean = BOOLEAN_MEASURES.includes(source.measure);
      if (isBoolean && kind !== undefined && kind !== 'threshold') {
        return [{ path: conditionPath, message: `${source.measure} counts affected pods; use a threshold such as { atMost: 0 } or no condition` }];
      }
      if (!isBoolean && kind === undefined) {
        return [{ path: conditionPath, message: `is required for the numeric measure ${source.measure}, e.g. { atMost: 0.5 }` }];
      }
      if (kind === 'mannWhitney') {
        return [{ path: conditionPath, message: 'mannWhitney compares sample series; use it with a prometheus source and range' }];
      }
      return [];
    }
    case 'prometheus': {
      if (condition === undefined) {
        return [{ path: conditionPath, message: 'is required for a prometheus check, e.g. { below: 0.05 } or { relativeToStable: { maxRatio: 1.5 } }' }];
      }
      const rangePath = at('.prometheus.range', '.source.range');
      if (condition.kind === 'mannWhitney') {
        if (!source.range) return [{ path: rangePath, message: 'is required by mannWhitney, e.g. { window: 10m, step: 30s }' }];
        const samples = Math.floor(source.range.window / source.range.step) + 1;
        if (samples < condition.minSamples) {
          return [{ path: rangePath, message: `yields at most ${samples} samples per side, fewer than mannWhitney.minSamples (${condition.minSamples}); widen window or shorten step` }];
        }
      } else if (source.range) {
        return [{ path: rangePath, message: 'is only used by a mannWhitney condition; remove it' }];
      }
      return [];
    }
  }
}

/** The query renders for every side it can be evaluated on; comparisons must tell sides apart. */
function queryRules(spec: PromotionSpec, check: CheckSpec, at: At): SpecError[] {
  if (check.source.kind !== 'prometheus') return [];
  const queryPath = at('.prometheus.query', '.source.query');
  const variants: Variant[] = spec.target.canary !== undefined ? ['stable', 'canary'] : ['stable'];
  const messages = new Set<string>();
  for (const variant of variants) {
    try {
      renderPromQL(check.source.query, templateVariables(spec, variant));
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      messages.add(err.message);
    }
  }
  const kind = check.condition?.kind;
  if ((kind === 'relativeToStable' || kind === 'mannWhitney') && !placeholders(check.source.query).some((p) => p === 'variant' || p === 'deployment')) {
    messages.add(`${kind} runs the query for the canary and for the stable side; use {{variant}} or {{deployment}} in it so the two differ`);
  }
  return [...messages].map((message) => ({ path: queryPath, message }));
}
