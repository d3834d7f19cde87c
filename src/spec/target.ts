// The target as an identity (the workflow id that locks it) and as the values a query template
// may use.
import type { PromotionSpec, TargetSpec } from './types';

/** Placeholders a query may use, in the order error messages list them. */
export const TEMPLATE_VARIABLES = ['namespace', 'stable', 'canary', 'variant', 'image', 'deployment'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
/** A variable is absent when it has no value, e.g. `canary` for a target without a canary. */
export type TemplateVariables = Partial<Record<TemplateVariable, string>>;

export type Variant = 'canary' | 'stable';

/** `promotion/<namespace>/<stable>`: one running promotion per target, enforced by Temporal. */
export function promotionWorkflowId(target: Pick<TargetSpec, 'namespace' | 'stable'>): string {
  return `promotion/${target.namespace}/${target.stable}`;
}

/**
 * Values for a query evaluated against one side. `variant` is the label value that side's
 * metrics carry (spec.variants, e.g. `test`/`production` for zai-proxy; default the side's name);
 * `deployment` is that side's Deployment.
 */
export function templateVariables(spec: Pick<PromotionSpec, 'target' | 'image' | 'variants'>, variant: Variant): TemplateVariables {
  const { target } = spec;
  const deployment = variant === 'canary' ? target.canary : target.stable;
  return {
    namespace: target.namespace,
    stable: target.stable,
    ...(target.canary !== undefined && { canary: target.canary }),
    variant: spec.variants?.[variant] ?? variant,
    image: spec.image,
    ...(deployment !== undefined && { deployment }),
  };
}
