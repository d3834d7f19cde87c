// The parsed user document → the normalized PromotionSpec: defaults filled in, routers resolved
// against the target, the production image derived for rolling promotions. Errors found here
// are about fields that depend on each other and carry user-facing paths.
import type { CheckSpec, PromotionSpec, RouterSpec, StrategySpec, TargetSpec } from './types';
import type { SpecError } from './errors';
import type { ParsedCheck } from './schema-checks';
import type { ParsedDocument, ParsedRouter, ParsedStrategy } from './schema';
import {
  DEFAULT_CHECK_SETTINGS,
  DEFAULT_DEADLINES,
  DEFAULT_SCALE_DOWN_DELAY,
  DEFAULT_SELECTOR_LABEL,
  DEFAULT_VARIANTS,
} from './defaults';
import { deriveProductionImage, ImageError } from './derive-image';

export type NormalizeResult = { ok: true; spec: PromotionSpec } | { ok: false; errors: SpecError[] };

export function normalizeDocument(doc: ParsedDocument): NormalizeResult {
  const errors: SpecError[] = [];
  const image = doc.image;
  if (image === undefined) {
    errors.push({ path: 'image', message: 'is required: set `image:` in the spec or pass --image' });
  }
  const strategy = normalizeStrategy(doc.strategy, doc.target, image, errors);
  const analysis = doc.analysis ?? {};
  const checks = (analysis.checks ?? []).map((check) => normalizeCheck(check, analysis.defaults ?? {}));
  if (errors.length > 0 || image === undefined || strategy === undefined) return { ok: false, errors };

  const spec: PromotionSpec = {
    target: doc.target,
    image,
    strategy,
    checks,
    preflight: analysis.preflight ?? [],
    background: analysis.background ?? [],
    deadlines: {
      promotion: doc.deadlines?.promotion ?? DEFAULT_DEADLINES.promotion,
      progress: doc.deadlines?.progress ?? DEFAULT_DEADLINES.progress,
    },
    ...(doc.postPromotion && { postPromotion: doc.postPromotion }),
    ...(doc.notify && { notify: doc.notify }),
    variants: analysis.variants ?? { ...DEFAULT_VARIANTS },
  };
  return { ok: true, spec };
}

/** Settings precedence: the check itself, then `analysis.defaults`, then DEFAULT_CHECK_SETTINGS. */
export function normalizeCheck(check: ParsedCheck, defaults: ParsedCheck['settings']): CheckSpec {
  const settings = { ...DEFAULT_CHECK_SETTINGS, ...definedOnly(defaults), ...definedOnly(check.settings) };
  return {
    name: check.name,
    source: check.source,
    ...(check.condition !== undefined && { condition: check.condition }),
    noData: settings.noData,
    interval: settings.interval,
    initialDelay: settings.initialDelay,
    count: settings.count,
    failureLimit: settings.failureLimit,
    inconclusiveLimit: settings.inconclusiveLimit,
    onInconclusiveLimit: settings.onInconclusiveLimit,
    consecutiveErrorLimit: settings.consecutiveErrorLimit,
    for: settings.for,
    dryRun: settings.dryRun,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function normalizeStrategy(
  parsed: ParsedStrategy,
  target: TargetSpec,
  image: string | undefined,
  errors: SpecError[],
): StrategySpec | undefined {
  const at = `strategy.${parsed.key}`;
  switch (parsed.key) {
    case 'canary': {
      const router = resolveRouter(parsed.value.router ?? { key: 'replicas', value: null }, target, `${at}.router`, errors);
      return router && { kind: 'canary', router, steps: parsed.value.steps };
    }
    case 'blueGreen': {
      const router = resolveRouter(parsed.value.router ?? { key: 'serviceSelector', value: null }, target, `${at}.router`, errors);
      const scaleDownDelay = parsed.value.scaleDownDelay ?? DEFAULT_SCALE_DOWN_DELAY;
      return router && { kind: 'blueGreen', router, scaleDownDelay, steps: parsed.value.steps };
    }
    case 'rolling': {
      const productionImage = parsed.value.productionImage ?? derive(image);
      return {
        kind: 'rolling',
        ...(productionImage !== undefined && { productionImage }),
        scaleCanaryToZero: parsed.value.scaleCanaryToZero ?? false,
        steps: parsed.value.steps ?? [],
      };
    }
  }
}

/** Fills the router's object names from the target when the router does not name them. */
function resolveRouter(parsed: ParsedRouter, target: TargetSpec, at: string, errors: SpecError[]): RouterSpec | undefined {
  switch (parsed.key) {
    case 'replicas':
      return { kind: 'replicas' };
    case 'nginx': {
      const ingress = parsed.value?.ingress ?? target.ingress;
      if (ingress !== undefined) return { kind: 'nginx', ingress };
      errors.push({ path: `${at}.nginx.ingress`, message: 'is required: name the canary Ingress here or in target.ingress' });
      return undefined;
    }
    case 'serviceSelector': {
      const service = parsed.value?.service ?? target.service;
      const label = parsed.value?.label ?? DEFAULT_SELECTOR_LABEL;
      if (service !== undefined) return { kind: 'serviceSelector', service, label };
      errors.push({ path: `${at}.serviceSelector.service`, message: 'is required: name the Service here or in target.service' });
      return undefined;
    }
  }
}

/**
 * The production image of a rolling promotion: the candidate with its pre-release suffix
 * stripped (`1.2.1-canary` → `1.2.1`), or the candidate itself when it has none (`--image
 * app:1.2.1` means "roll out 1.2.1"). A digest is used as given: it names exact bytes.
 */
function derive(image: string | undefined): string | undefined {
  if (image === undefined) return undefined; // reported as a missing image already
  try {
    return deriveProductionImage(image);
  } catch (err) {
    if (!(err instanceof ImageError)) throw err;
    return image;
  }
}
