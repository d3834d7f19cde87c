// The normalized spec written back as the YAML a user would write, with every default spelled
// out and durations formatted (`validate --print`). Parsing the output gives the same spec.
import { stringify } from 'yaml';
import type { CheckSource, CheckSpec, Condition, PromotionSpec, RouterSpec, StepSpec, StrategySpec } from './types';
import { API_VERSION, KIND } from './defaults';
import { formatDuration } from './duration';
import { THRESHOLD_KEYS } from './schema-checks';

export function toYaml(spec: PromotionSpec): string {
  return stringify(toDocument(spec), { lineWidth: 0 });
}

/** The user-facing document for a normalized spec. */
export function toDocument(spec: PromotionSpec): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    target: { ...spec.target },
    image: spec.image,
    strategy: printStrategy(spec.strategy),
    analysis: {
      ...(spec.variants && { variants: { ...spec.variants } }),
      checks: spec.checks.map(printCheck),
      preflight: [...spec.preflight],
      background: [...spec.background],
    },
    deadlines: { promotion: formatDuration(spec.deadlines.promotion), progress: formatDuration(spec.deadlines.progress) },
    ...(spec.postPromotion && { postPromotion: { watch: formatDuration(spec.postPromotion.watch), checks: [...spec.postPromotion.checks] } }),
    ...(spec.notify && { notify: { ...spec.notify } }),
  };
}

function printStrategy(strategy: StrategySpec): Record<string, unknown> {
  const steps = strategy.steps.map(printStep);
  switch (strategy.kind) {
    case 'canary':
      return { canary: { router: printRouter(strategy.router), steps } };
    case 'blueGreen':
      return { blueGreen: { router: printRouter(strategy.router), scaleDownDelay: formatDuration(strategy.scaleDownDelay), steps } };
    case 'rolling':
      return {
        rolling: {
          ...(strategy.productionImage !== undefined && { productionImage: strategy.productionImage }),
          scaleCanaryToZero: strategy.scaleCanaryToZero,
          steps,
        },
      };
  }
}

function printRouter(router: RouterSpec): Record<string, unknown> {
  const { kind, ...fields } = router;
  return { [kind]: fields };
}

function printStep(step: StepSpec): Record<string, unknown> {
  switch (step.kind) {
    case 'setWeight':
      return { setWeight: step.weight };
    case 'bake':
      return { bake: formatDuration(step.duration) };
    case 'manualBake':
      return { bake: { manual: true, deadline: formatDuration(step.deadline), onTimeout: step.onTimeout } };
    case 'analysis':
      return { analysis: { checks: [...step.checks] } };
    case 'setImage':
      return { setImage: { deployment: step.deployment, ...(step.image !== undefined && { image: step.image }) } };
    case 'scale':
      return { scale: { deployment: step.deployment, replicas: step.replicas } };
  }
}

function printCheck(check: CheckSpec): Record<string, unknown> {
  return {
    name: check.name,
    ...printSource(check.source),
    ...(check.condition && { condition: printCondition(check.condition) }),
    interval: formatDuration(check.interval),
    initialDelay: formatDuration(check.initialDelay),
    count: check.count,
    failureLimit: check.failureLimit,
    inconclusiveLimit: check.inconclusiveLimit,
    onInconclusiveLimit: check.onInconclusiveLimit,
    consecutiveErrorLimit: check.consecutiveErrorLimit,
    for: formatDuration(check.for),
    dryRun: check.dryRun,
    noData: check.noData,
  };
}

function printSource(source: CheckSource): Record<string, unknown> {
  switch (source.kind) {
    case 'prometheus': {
      const range = source.range && { window: formatDuration(source.range.window), step: formatDuration(source.range.step) };
      return { prometheus: { query: source.query, ...(range && { range }) } };
    }
    case 'kubernetes':
      return { kubernetes: { deployment: source.deployment, measure: source.measure } };
    case 'alerts':
      return { alerts: { names: [...source.names], labels: { ...source.labels } } };
    case 'http':
      return { http: { url: source.url, status: source.expectStatus, ...(source.expectJson && { json: source.expectJson }) } };
  }
}

export function printCondition(condition: Condition): Record<string, unknown> {
  switch (condition.kind) {
    case 'threshold':
      return { [THRESHOLD_KEYS[condition.op]]: condition.value };
    case 'relativeToStable':
    case 'relativeToBaseline':
      return { [condition.kind]: { maxRatio: condition.maxRatio, slack: condition.slack } };
    case 'mannWhitney':
      return { mannWhitney: { alpha: condition.alpha, minSamples: condition.minSamples, higherIsWorse: condition.higherIsWorse } };
  }
}
