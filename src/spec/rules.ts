// Rules that relate fields to each other, checked on the normalized spec so that a spec parsed
// from YAML and a spec received as workflow input obey the same rules. Paths are written in
// either style: `user` (the YAML a person wrote) or `normalized` (the PromotionSpec object).
import type { PromotionSpec, StepSpec } from './types';
import type { SpecError } from './errors';
import { formatDuration } from './duration';
import { checkSourceRules } from './rules-checks';

export type PathStyle = 'user' | 'normalized';

/** Where things are, in one path style. */
export interface SpecPaths {
  style: PathStyle;
  /** `user` path if the style is user, else `normalized` */
  pick(user: string, normalized: string): string;
  step(index: number, userSuffix: string, normalizedSuffix: string): string;
  check(index: number, userSuffix: string, normalizedSuffix: string): string;
}

export function specPaths(spec: PromotionSpec, style: PathStyle): SpecPaths {
  const user = style === 'user';
  const steps = user ? `strategy.${spec.strategy.kind}.steps` : 'strategy.steps';
  const checks = user ? 'analysis.checks' : 'checks';
  return {
    style,
    pick: (u, n) => (user ? u : n),
    step: (i, u, n) => `${steps}[${i}]${user ? u : n}`,
    check: (i, u, n) => `${checks}[${i}]${user ? u : n}`,
  };
}

export function crossFieldRules(spec: PromotionSpec, style: PathStyle): SpecError[] {
  const paths = specPaths(spec, style);
  return [
    ...uniqueCheckNames(spec, paths),
    ...checkReferences(spec, paths),
    ...canaryRequired(spec, paths),
    ...routerRules(spec, paths),
    ...checkSourceRules(spec, paths),
    ...bakeBudget(spec),
  ];
}

function uniqueCheckNames(spec: PromotionSpec, paths: SpecPaths): SpecError[] {
  const first = new Map<string, number>();
  const errors: SpecError[] = [];
  spec.checks.forEach((check, i) => {
    const j = first.get(check.name);
    if (j === undefined) first.set(check.name, i);
    else errors.push({ path: paths.check(i, '.name', '.name'), message: `duplicate check name "${check.name}" (also ${paths.check(j, '', '')})` });
  });
  return errors;
}

function checkReferences(spec: PromotionSpec, paths: SpecPaths): SpecError[] {
  const defined = new Set(spec.checks.map((c) => c.name));
  const known = defined.size > 0 ? `defined checks: ${[...defined].join(', ')}` : 'no checks are defined under analysis.checks';
  const lists: { names: string[]; at: (j: number) => string }[] = [
    { names: spec.preflight, at: (j) => paths.pick(`analysis.preflight[${j}]`, `preflight[${j}]`) },
    { names: spec.background, at: (j) => paths.pick(`analysis.background[${j}]`, `background[${j}]`) },
    { names: spec.postPromotion?.checks ?? [], at: (j) => `postPromotion.checks[${j}]` },
    ...spec.strategy.steps.flatMap((step, i) =>
      step.kind === 'analysis' ? [{ names: step.checks, at: (j: number) => paths.step(i, `.analysis.checks[${j}]`, `.checks[${j}]`) }] : [],
    ),
  ];
  const errors: SpecError[] = [];
  for (const { names, at } of lists) {
    names.forEach((name, j) => {
      if (!defined.has(name)) errors.push({ path: at(j), message: `unknown check "${name}"; ${known}` });
      else if (names.indexOf(name) !== j) errors.push({ path: at(j), message: `check "${name}" is listed twice` });
    });
  }
  return errors;
}

/** Everything that acts on the canary Deployment needs target.canary. */
function canaryRequired(spec: PromotionSpec, paths: SpecPaths): SpecError[] {
  if (spec.target.canary !== undefined) return [];
  const errors: SpecError[] = [];
  const { strategy } = spec;
  if (strategy.kind === 'canary' || strategy.kind === 'blueGreen') {
    const what = strategy.kind === 'canary' ? 'the canary strategy (the Deployment that runs the candidate)' : 'the blueGreen strategy (the new side)';
    errors.push({ path: 'target.canary', message: `is required by ${what}` });
  } else if (strategy.scaleCanaryToZero) {
    errors.push({ path: 'target.canary', message: 'is required by strategy.rolling.scaleCanaryToZero' });
  }
  strategy.steps.forEach((step, i) => {
    if ((step.kind === 'setImage' || step.kind === 'scale') && step.deployment === 'canary') {
      errors.push({ path: paths.step(i, `.${step.kind}.deployment`, '.deployment'), message: 'is "canary" but target.canary is not set' });
    }
  });
  spec.checks.forEach((check, i) => {
    if (check.source.kind === 'kubernetes' && check.source.deployment === 'canary') {
      errors.push({ path: paths.check(i, '.kubernetes.deployment', '.source.deployment'), message: 'is "canary" but target.canary is not set' });
    }
  });
  return errors;
}

function routerRules(spec: PromotionSpec, paths: SpecPaths): SpecError[] {
  const { strategy } = spec;
  const errors: SpecError[] = [];
  const setWeights = strategy.steps.flatMap((step, i) => (step.kind === 'setWeight' ? [{ step, i }] : []));
  const weightPath = (i: number) => paths.step(i, '.setWeight', '.weight');
  if (strategy.kind === 'rolling') {
    for (const { i } of setWeights) {
      errors.push({ path: weightPath(i), message: 'the rolling strategy has no router to shift traffic with; use canary or blueGreen' });
    }
    return errors;
  }
  const routerPath = paths.pick(`strategy.${strategy.kind}.router.${strategy.router.kind}`, 'strategy.router');
  if (strategy.kind === 'canary' && strategy.router.kind === 'serviceSelector') {
    errors.push({ path: routerPath, message: 'a serviceSelector router moves all traffic at once; the canary strategy needs replicas or nginx (or use blueGreen)' });
  }
  if (strategy.kind === 'blueGreen' && strategy.router.kind !== 'serviceSelector') {
    errors.push({ path: routerPath, message: `blueGreen switches a Service selector; use a serviceSelector router, not ${strategy.router.kind}` });
  }
  if (strategy.router.kind === 'serviceSelector') {
    for (const { step, i } of setWeights) {
      const weight = (step as Extract<StepSpec, { kind: 'setWeight' }>).weight;
      if (weight !== 0 && weight !== 100) {
        errors.push({ path: weightPath(i), message: `is ${weight}, but a serviceSelector router can only send 0 or 100 percent to the new side` });
      }
    }
  }
  return errors;
}

/** Timed bakes alone must fit in the promotion deadline, or every promotion would time out. */
function bakeBudget(spec: PromotionSpec): SpecError[] {
  const baked = spec.strategy.steps.reduce((sum, step) => sum + (step.kind === 'bake' ? step.duration : 0), 0);
  if (baked < spec.deadlines.promotion) return [];
  return [
    {
      path: 'deadlines.promotion',
      message: `is ${formatDuration(spec.deadlines.promotion)} but the steps bake for ${formatDuration(baked)} in total; raise the deadline or shorten the bakes`,
    },
  ];
}
